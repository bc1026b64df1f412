/** docs/bad-input.md is what the code says today: regenerate it with `npm run bad-input` when this fails. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DOC, renderCatalogue } from '../../../scripts/bad-input-catalogue';

describe('docs/bad-input.md', () => {
  it('matches the messages the code gives for each bad input (npm run bad-input rewrites it)', async () => {
    assert.equal(readFileSync(DOC, 'utf8'), await renderCatalogue());
  });

  it('shows no stack trace, "[object Object]" or "undefined" to anyone', () => {
    const text = readFileSync(DOC, 'utf8');
    assert.doesNotMatch(text, /\[object Object\]|\bundefined\b|\n\s+at .+:\d+:\d+|Traceback/);
  });
});
