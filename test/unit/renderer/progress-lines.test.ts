import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldComponents, mergeLines, type Progress } from '../../../renderer/pages/progress-lines';

const line = (seq: number, subject: Progress['subject'] = { type: 'object' }): Progress => ({
  type: 'operation.progress',
  operationId: 'op-1',
  environmentId: 'env-1',
  kind: 'deploy',
  seq,
  text: `line ${seq}`,
  at: new Date(1_700_000_000_000 + seq).toISOString(),
  subject,
});

describe('the Deploy page’s lines: heard live, and the history of what was sent before it listened', () => {
  it('puts the missed first lines before those heard, each once', () => {
    const merged = mergeLines([line(2), line(3)], [line(0), line(1), line(2)]);
    assert.deepEqual(
      merged.map((l) => l.seq),
      [0, 1, 2, 3],
    );
  });

  it('keeps the newest lines when there are more than it shows', () => {
    const history = Array.from({ length: 10 }, (_, i) => line(i));
    assert.deepEqual(
      mergeLines([line(10)], history, 4).map((l) => l.seq),
      [7, 8, 9, 10],
    );
  });

  it('a component’s bar takes its latest line; IM’s infrastructure gets the label given', () => {
    const workload = (seq: number, name: string, ready: number, kind = 'Deployment'): Progress =>
      line(seq, { type: 'workload', kind, name, component: name, ready, desired: 2 });
    const components = foldComponents(
      {},
      [workload(0, 'worker', 0), workload(1, 'worker', 2), workload(2, 'abc123', 1, 'Infrastructure')],
      'Containers',
    );
    assert.deepEqual(components, { worker: { ready: 2, desired: 2 }, Containers: { ready: 1, desired: 2 } });
  });
});
