import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runBounded } from '../../../../main/targets/kube/bounded';

describe('wave runner', () => {
  it('never has more than the bound in flight, and finishes every item', async () => {
    let inFlight = 0;
    let most = 0;
    const items = Array.from({ length: 23 }, (_, i) => i);
    const results = await runBounded(items, 4, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(2 + (item % 3));
      inFlight -= 1;
      return item * 2;
    });
    assert.equal(most, 4);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)),
      items.map((i) => i * 2),
    );
  });

  it('keeps going after a failure and reports it in place', async () => {
    const results = await runBounded([1, 2, 3], 2, async (item) => {
      await sleep(1);
      if (item === 2) throw new Error('no');
      return item;
    });
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });

  it('after abort starts nothing new but awaits what is in flight, so every item ends known', async () => {
    const controller = new AbortController();
    const finished: number[] = [];
    const results = await runBounded(
      Array.from({ length: 10 }, (_, i) => i),
      3,
      async (item) => {
        await sleep(item === 0 ? 1 : 10);
        // Cancelled while items 1 and 2 are still in flight.
        if (item === 0) controller.abort();
        finished.push(item);
        return item;
      },
      controller.signal,
    );
    assert.deepEqual(finished.sort(), [0, 1, 2]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
    );
  });

  it('an empty wave is done at once', async () => {
    assert.deepEqual(await runBounded([], 8, () => Promise.resolve(1)), []);
  });
});
