import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineRing } from '../../../main/app/log-ring';
import { chooseLogs, type LogPod } from '../../../main/app/log-sources';
import { LineSplitter, MAX_LINE_BYTES } from '../../../main/kube/pod-logs';

describe('a log held in memory', () => {
  it('keeps the last lines within both bounds and counts the ones it let go', () => {
    const ring = new LineRing(3, 1000);
    for (let i = 1; i <= 10; i += 1) ring.push(`line ${i}`);
    assert.deepEqual(ring.take(), { lines: ['line 8', 'line 9', 'line 10'], dropped: 7 });
    assert.equal(ring.size, 0);
    const bytes = new LineRing(1000, 25);
    for (let i = 0; i < 10; i += 1) bytes.push('0123456789');
    assert.ok(bytes.byteSize <= 25, `${bytes.byteSize} bytes held`);
    assert.deepEqual(bytes.take(), { lines: ['0123456789', '0123456789'], dropped: 8 });
  });

  it('holds no more than its bound however many lines pass (100,000 through a ring of 5,000)', () => {
    const ring = new LineRing(5000, 2 * 1024 * 1024);
    for (let i = 0; i < 100_000; i += 1) ring.push(`line ${i}`);
    assert.equal(ring.size, 5000);
    const { lines, dropped } = ring.take();
    assert.equal(lines[0], 'line 95000');
    assert.equal(dropped, 95_000);
  });
});

describe('a log stream split into lines', () => {
  it('joins lines split across chunks, drops the CR of CRLF and gives the unfinished last line at the end', () => {
    const lines: string[] = [];
    const split = new LineSplitter((line) => lines.push(line));
    split.push('first li');
    split.push('ne\r\nsecond\nthi');
    assert.deepEqual(lines, ['first line', 'second']);
    split.push('rd');
    split.end();
    assert.deepEqual(lines, ['first line', 'second', 'third']);
  });

  it('cuts a line that never ends, so one chatty program cannot grow it without bound', () => {
    const lines: string[] = [];
    const split = new LineSplitter((line) => lines.push(line));
    split.push('x'.repeat(MAX_LINE_BYTES * 2 + 5));
    split.end();
    assert.deepEqual(
      lines.map((l) => l.length),
      [MAX_LINE_BYTES, MAX_LINE_BYTES, 5],
    );
  });
});

describe('which logs `afp logs <env> [component] [--container]` means', () => {
  const pod = (name: string, component: string | undefined, containers: string[], defaultContainer = containers[0]!): LogPod => ({
    name,
    ...(component === undefined ? {} : { component }),
    phase: 'Running',
    containers: containers.map((c) => ({ name: c, restarts: 0, hasPrevious: false, init: false })),
    defaultContainer,
  });
  const pods = [
    pod('hub-1', 'hub', ['hub']),
    pod('w-1', 'dask-worker', ['worker']),
    pod('w-2', 'dask-worker', ['worker']),
    pod('jupyter-alice', undefined, ['notebook', 'sidecar'], 'notebook'),
  ];

  it('a component is every pod of it, with each pod’s default container', () => {
    assert.deepEqual(chooseLogs(pods, 'dask-worker', undefined), [
      { pod: 'w-1', container: 'worker' },
      { pod: 'w-2', container: 'worker' },
    ]);
    assert.deepEqual(chooseLogs(pods, 'jupyter-alice', undefined), [{ pod: 'jupyter-alice', container: 'notebook' }]);
    assert.deepEqual(chooseLogs(pods, 'jupyter-alice', 'sidecar'), [{ pod: 'jupyter-alice', container: 'sidecar' }]);
  });

  it('refuses, naming what there is, an unknown component, a missing container, or no component when there are several pods', () => {
    assert.throws(
      () => chooseLogs(pods, 'nope', undefined),
      /No component or pod "nope" \(components: hub, dask-worker; pods: hub-1, w-1, w-2, jupyter-alice\)/,
    );
    assert.throws(() => chooseLogs(pods, 'hub', 'proxy'), /Pod hub-1 has no container "proxy" \(it has hub\)/);
    assert.throws(() => chooseLogs(pods, undefined, undefined), /Name a component or pod/);
    assert.deepEqual(chooseLogs([pods[0]!], undefined, undefined), [{ pod: 'hub-1', container: 'hub' }]);
  });
});
