import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { relativeTime } from '../../../renderer/components/relative-time';

describe('times as people read them (Intl.RelativeTimeFormat)', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString();

  it('in English', () => {
    assert.equal(relativeTime(ago(10), 'en', now), 'now');
    assert.equal(relativeTime(ago(120), 'en', now), '2 minutes ago');
    assert.equal(relativeTime(ago(3 * 3600), 'en', now), '3 hours ago');
    assert.equal(relativeTime(ago(24 * 3600), 'en', now), 'yesterday');
  });

  it('in Italian', () => {
    assert.equal(relativeTime(ago(120), 'it', now), '2 minuti fa');
    assert.equal(relativeTime(ago(24 * 3600), 'it', now), 'ieri');
  });
});
