import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollingSource } from '../../../main/tracking/status-source';
import { emptySections } from '../../../main/tracking/views';

/** Lets pending promise callbacks run (the poll loop awaits between timers). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('pollingSource (IM and dispatcher targets)', () => {
  it('never polls faster than IM updates (10 s), backs off while the target fails, and says since when it is unreachable', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const polls: number[] = [];
    let failing = false;
    const source = pollingSource({
      intervalMs: 1000,
      backoff: { initialMs: 10_000, maxMs: 60_000, random: () => 0.999 },
      poll: () => {
        polls.push(Date.now());
        if (failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:8800'));
        return Promise.resolve({ phase: 'Ready', ...emptySections() });
      },
    });
    let changes = 0;
    source.start(() => (changes += 1));
    t.after(() => source.dispose());
    await settle();
    assert.equal(source.observe(undefined as never)?.phase, 'Ready');

    for (let i = 0; i < 3; i += 1) {
      t.mock.timers.tick(10_000);
      await settle();
    }
    assert.deepEqual(
      polls.map((at) => at - (polls[0] ?? 0)),
      [0, 10_000, 20_000, 30_000],
      'a 1 s interval is raised to IM’s 10 s',
    );

    failing = true;
    t.mock.timers.tick(10_000);
    await settle();
    const down = source.observe(undefined as never);
    assert.equal(down?.phase, 'Unknown');
    assert.match(down?.message ?? '', /^Unreachable since 1970-01-01T00:00:40\.000Z: connect ECONNREFUSED/);
    // Failing: the next polls come after the backoff (10 s, 20 s, 40 s), not every 10 s.
    for (let i = 0; i < 8; i += 1) {
      t.mock.timers.tick(10_000);
      await settle();
    }
    const failingPolls = polls.slice(4).map((at) => at - (polls[4] ?? 0));
    assert.deepEqual(
      failingPolls,
      [0, 10_000, 30_000, 70_000].filter((ms) => ms <= 80_000),
    );
    assert.ok(changes >= 5);
  });
});
