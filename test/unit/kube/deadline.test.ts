import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { withDeadline } from '../../../main/kube/deadline';

describe('withDeadline', () => {
  it('aborts at its deadline even after a garbage collection, where AbortSignal.any with AbortSignal.timeout does not', (t) => {
    // In a child with --expose-gc: 50 guarded waits of 100 ms each, a gc before they are due, then count what fired.
    const script = `
      import { withDeadline } from ${JSON.stringify(new URL('../../../main/kube/deadline.ts', import.meta.url).href)};
      const parent = new AbortController();
      const count = async (make) => {
        let fired = 0;
        const waits = Array.from({ length: 50 }, () => new Promise((resolve) => {
          make().addEventListener('abort', () => { fired += 1; resolve(); });
          setTimeout(resolve, 400);
        }));
        await new Promise((r) => setTimeout(r, 20));
        globalThis.gc();
        await Promise.all(waits);
        return fired;
      };
      const ours = await count(() => withDeadline(parent.signal, 100).signal);
      const builtIn = await count(() => AbortSignal.any([parent.signal, AbortSignal.timeout(100)]));
      console.log(JSON.stringify({ ours, builtIn }));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { ours, builtIn } = JSON.parse(run.stdout.trim()) as { ours: number; builtIn: number };
    assert.equal(ours, 50, 'every deadline fired');
    // Not asserted: builtIn (0 on Node 20.20; a Node that fixes nodejs/node#57736 fires all 50). Printed for the record.
    t.diagnostic(`AbortSignal.any + AbortSignal.timeout after a gc: ${builtIn} of 50 fired`);
  });

  it('follows its parent, says whether the deadline or the parent ended it, and clear() stops both', async () => {
    const parent = new AbortController();
    const cancelled = withDeadline(parent.signal, 10_000);
    parent.abort(new Error('user cancelled'));
    assert.equal(cancelled.signal.aborted, true);
    assert.equal(cancelled.timedOut(), false);
    assert.equal((cancelled.signal.reason as Error).message, 'user cancelled');
    cancelled.clear();

    const expiring = withDeadline(new AbortController().signal, 20);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(expiring.timedOut(), true);
    assert.equal((expiring.signal.reason as DOMException).name, 'TimeoutError');

    const other = new AbortController();
    const cleared = withDeadline(other.signal, 20);
    cleared.clear();
    other.abort();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(cleared.signal.aborted, false, 'neither the parent nor the timer reach a cleared deadline');
  });
});
