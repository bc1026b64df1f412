/**
 * Events reach the renderer's pages only when they match the contract's event
 * schema, over IPC (preload's window.afp) as over the preview's HTTP stream:
 * both transports go through renderer/client/checked-events.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppEvent } from '../../../main/api';
import { checkedTransport } from '../../../renderer/client/checked-events';
import type { RawTransport } from '../../../renderer/client/transport';

/** Plays preload's window.afp: hands the renderer whatever the main process sent. */
function rawTransport(): RawTransport & { send(payload: unknown): void } {
  const listeners = new Set<(payload: unknown) => void>();
  return {
    request: (name) => Promise.resolve({ ok: true, value: name }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send: (payload) => listeners.forEach((listener) => listener(payload)),
  };
}

describe('events checked against the contract', () => {
  it('hands on events that match the schema, and drops (and says so) those that do not', (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const raw = rawTransport();
    const seen: AppEvent[] = [];
    const stop = checkedTransport(raw).onEvent((event) => seen.push(event));
    raw.send({ type: 'catalogue.changed' });
    raw.send({ type: 'no.such.event' });
    raw.send({ type: 'operation.done', operationId: 'o1', environmentId: 'e1', kind: 'deploy', outcome: 'exploded' });
    raw.send({ type: 'environments.batch', deltas: [{ environmentId: 'e1', name: 'lab', status: { phase: 'Sleeping', since: 'now' } }] });
    raw.send('catalogue.changed');
    raw.send({ type: 'operation.done', operationId: 'o1', environmentId: 'e1', kind: 'deploy', outcome: 'succeeded' });
    assert.deepEqual(
      seen.map((event) => event.type),
      ['catalogue.changed', 'operation.done'],
    );
    assert.equal(warn.mock.callCount(), 4);
    stop();
    raw.send({ type: 'catalogue.changed' });
    assert.equal(seen.length, 2);
  });

  it('passes requests through unchanged', async () => {
    assert.deepEqual(await checkedTransport(rawTransport()).request('settings.get', {}), { ok: true, value: 'settings.get' });
  });
});
