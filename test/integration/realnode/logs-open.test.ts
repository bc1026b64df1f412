/**
 * Day two on a real container node: MinIO deployed with `afp deploy`, its
 * real startup output read with `afp logs` (equal to what kubectl reads), a
 * pod that keeps writing followed until Ctrl-C, a pod that crashes read with
 * --previous, the app's stream (the contract's logs.lines events) bounded
 * when a container writes faster than it sends; and `afp open` holding a
 * port-forward to MinIO's console that answers HTTP until Ctrl-C.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppEvent } from '../../../main/api';
import { LOG_BOUNDS } from '../../../main/contract/logs';
import { EventBus } from '../../../main/events';
import { LogStreams } from '../../../main/app/log-streams';
import { readLogSources } from '../../../main/app/log-sources';
import { openInventory, statusReaders } from '../../../main/app/environments-core';
import { afp, afpOpen } from '../../support/afp';
import { adminTls, kubectl, kubectlJson, kubectlOk, testbedEnv, waitUntil } from '../../support/testbed';
import { skipWithoutRealNodes } from './real-node';
import { untaintedRealBed, type UntaintedBed } from './untainted-bed';
import { scriptPod, waitRestarted } from '../../support/script-pod';
import { KubeConfig } from '@kubernetes/client-node';
import { readPodLog } from '../../../main/kube/pod-logs';
import { FaultProxy } from '../../testbed/fault/proxy';

describe(
  'day two on a real container node: afp logs, the app’s log stream, afp open',
  { skip: skipWithoutRealNodes(), timeout: 600_000 },
  () => {
    let bed: UntaintedBed;
    let config: string;
    const previousConfig = process.env.AFP_CONFIG_DIR;
    const name = `logs-${Date.now().toString(36)}`;

    before(async () => {
      bed = await untaintedRealBed();
      config = mkdtempSync(join(tmpdir(), 'afp-logs-config-'));
      process.env.AFP_CONFIG_DIR = config;
      const deploy = await afp([
        'deploy',
        'minio',
        '--kubeconfig',
        testbedEnv().adminKubeconfig,
        '--name',
        name,
        '--set',
        'storage=1Gi',
        '--wait',
      ]);
      assert.equal(deploy.code, 0, deploy.stderr);
      // The environment's quota holds it to MinIO's one pod (plus a margin); the test's own writers need room.
      await kubectlOk(['delete', 'resourcequota', 'afp-quota', '-n', name]);
      const ticker = scriptPod('ticker', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done');
      // Each run names itself ($RANDOM), so the previous run's log can be told from the current one.
      const crasher = scriptPod(
        'crasher',
        'run=$RANDOM; if [ -f /state/crashed ]; then echo "run $run up again"; exec sleep 3600; fi; touch /state/crashed; for i in 1 2 3; do echo "run $run line $i"; done; echo "run $run crashing"; exit 3',
      );
      // The flood waits for the test to say go (a file made with kubectl exec), so all of it arrives through a follow.
      const flood = scriptPod('flood', 'while [ ! -f /tmp/go ]; do sleep 0.2; done; seq 1 20000; sleep 3600');
      await kubectlOk(['apply', '-n', name, '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ticker, crasher, flood] }),
      });
    });
    after(async () => {
      await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
      if (previousConfig === undefined) delete process.env.AFP_CONFIG_DIR;
      else process.env.AFP_CONFIG_DIR = previousConfig;
      await bed?.stop();
      rmSync(config, { recursive: true, force: true });
    });

    test('`afp logs <env> minio --tail 20` prints MinIO’s own startup output, as kubectl reads it', async () => {
      const pods = await kubectlJson<{ items: { metadata: { name: string }; spec: { nodeName?: string } }[] }>([
        'get',
        'pods',
        '-n',
        name,
        '-l',
        'app.kubernetes.io/component=minio',
      ]);
      const pod = pods.items[0]!;
      assert.equal(pod.spec.nodeName, testbedEnv().realNodes!.names[0], 'MinIO runs on the real node');
      const run = await afp(['logs', name, 'minio', '--tail', '20']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /MinIO Object Storage Server/);
      const byKubectl = await kubectlOk(['logs', '-n', name, pod.metadata.name, '-c', 'minio', '--tail', '20']);
      assert.equal(run.stdout, byKubectl.endsWith('\n') ? byKubectl : `${byKubectl}\n`);
    });

    test('`afp logs <env> ticker --follow` prints new lines as the container writes them, and Ctrl-C ends it with exit 0', async () => {
      await waitUntil(
        'the ticker to write',
        async () => (await kubectl(['logs', '-n', name, 'ticker', '--tail', '1'])).stdout.includes('tick'),
        90_000,
        500,
      );
      let stdout = '';
      let signalled = false;
      const io = {
        cwd: process.cwd(),
        stdout: {
          write: (text: string) => {
            stdout += text;
            // Ctrl-C once the follow has shown lines written after it started.
            const ticks = [...stdout.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
            if (!signalled && ticks.length >= 8) {
              signalled = true;
              setTimeout(() => process.emit('SIGINT'), 10);
            }
            return true;
          },
        },
        stderr: { write: () => true },
      };
      const { main } = await import('../../../main/cli');
      const code = await main(['logs', name, 'ticker', '--follow', '--tail', '2'], io);
      assert.equal(code, 0);
      const ticks = [...stdout.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
      assert.ok(ticks.length >= 8, stdout);
      assert.deepEqual(
        ticks,
        ticks.map((_, i) => ticks[0]! + i),
        'consecutive lines, none lost or repeated',
      );
      assert.equal(process.listenerCount('SIGINT'), 0, 'no Ctrl-C handler left behind');
    });

    test('a followed log whose connection is cut reopens from its last line: the ticks go on, none lost or repeated (through a fault proxy of the test’s own)', async () => {
      await waitUntil(
        'the ticker to write',
        async () => (await kubectl(['logs', '-n', name, 'ticker', '--tail', '1'])).stdout.includes('tick'),
        90_000,
        500,
      );
      const tls = adminTls();
      const api = new URL(testbedEnv().apiServerUrl);
      const proxy = await FaultProxy.start({
        name: 'logs-cut',
        mode: 'tcp',
        upstream: { host: api.hostname, port: Number(api.port), tlsCa: tls.ca },
      });
      const kc = new KubeConfig();
      const base64 = (pem: string): string => Buffer.from(pem).toString('base64');
      kc.loadFromOptions({
        clusters: [{ name: 'via-proxy', server: proxy.url, caData: base64(tls.ca) }],
        users: [{ name: 'admin', certData: base64(tls.cert), keyData: base64(tls.key) }],
        contexts: [{ name: 'via-proxy', cluster: 'via-proxy', user: 'admin' }],
        currentContext: 'via-proxy',
      });
      const ticks: number[] = [];
      const stop = new AbortController();
      const reading = readPodLog(
        kc,
        { namespace: name, pod: 'ticker', container: 'main', follow: true, tailLines: 1 },
        (line) => {
          const tick = /^tick (\d+)$/.exec(line);
          if (tick !== null) ticks.push(Number(tick[1]));
        },
        stop.signal,
      );
      try {
        await waitUntil('ticks through the proxy', () => Promise.resolve(ticks.length >= 5), 60_000, 100);
        for (let cut = 1; cut <= 2; cut++) {
          assert.ok(proxy.cut({ all: true }) >= 1, 'the follow’s connection was cut');
          const atCut = ticks.length;
          await waitUntil(`ticks after cut ${cut}`, () => Promise.resolve(ticks.length >= atCut + 10), 60_000, 100);
        }
      } finally {
        stop.abort();
        await reading;
        await proxy.close();
      }
      assert.deepEqual(
        ticks,
        ticks.map((_, i) => ticks[0]! + i),
        'consecutive across the cuts',
      );
    });

    test('after a crash, `afp logs <env> crasher --previous` prints the run before the current one, and the sources say it has one', async () => {
      await waitRestarted(name, 'crasher');
      const record = openInventory(config).get(name)!;
      const sources = await readLogSources(record, statusReaders({ profile: () => null }).kubeConfigFor);
      const crasher = sources.find((p) => p.name === 'crasher');
      assert.ok(crasher?.containers[0]?.hasPrevious, JSON.stringify(sources));
      assert.deepEqual(
        sources.map((p) => p.component),
        ['crasher', 'flood', 'minio', 'ticker'],
        'every pod, by component',
      );

      const previous = await afp(['logs', name, 'crasher', '--previous']);
      assert.equal(previous.code, 0, previous.stderr);
      const byKubectl = await kubectlOk(['logs', '-n', name, 'crasher', '--previous']);
      assert.equal(previous.stdout.trim(), byKubectl.trim());
      assert.match(previous.stdout, /^run (\d+) line 1\nrun \1 line 2\nrun \1 line 3\nrun \1 crashing$/m);

      const before = /^run (\d+) crashing$/m.exec(previous.stdout)![1];
      let now: string | undefined;
      await waitUntil(
        'the restarted crasher to write',
        async () => (now = /^run (\d+) up again$/m.exec((await afp(['logs', name, 'crasher'])).stdout)?.[1]) !== undefined,
        30_000,
        250,
      );
      assert.notEqual(now, before, 'without --previous: the current run, another one');

      const none = await afp(['logs', name, 'ticker', '--previous']);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /ticker.*has no previous log: it has not restarted/);
    });

    test('the app’s stream sends a flood of 20,000 lines as batched events, holding at most LOG_BOUNDS lines and counting what it let go', async () => {
      const record = openInventory(config).get(name)!;
      const bus = new EventBus();
      const events: AppEvent[] = [];
      bus.subscribe((event) => events.push(event));
      const streams = new LogStreams({
        emit: (event) => bus.emit(event),
        kubeConfigFor: statusReaders({ profile: () => null }).kubeConfigFor,
      });
      try {
        await waitUntil(
          'the flood pod to run',
          async () => (await kubectlJson<{ status: { phase: string } }>(['get', 'pod', 'flood', '-n', name])).status.phase === 'Running',
          90_000,
          500,
        );
        const started = Date.now();
        const streamId = streams.start(record, { pod: 'flood', container: 'main', follow: true, previous: false, tailLines: 10 });
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await kubectlOk(['exec', '-n', name, 'flood', '--', 'touch', '/tmp/go']);
        await waitUntil(
          'the flood to arrive',
          () => Promise.resolve(events.some((e) => e.type === 'logs.lines' && e.lines.at(-1) === '20000')),
          60_000,
          100,
        );
        const batches = events.filter(
          (e): e is Extract<AppEvent, { type: 'logs.lines' }> => e.type === 'logs.lines' && e.streamId === streamId,
        );
        const delivered = batches.flatMap((b) => b.lines);
        const dropped = batches.reduce((sum, b) => sum + b.dropped, 0);
        assert.ok(Date.now() - started < 60_000);
        for (const batch of batches) assert.ok(batch.lines.length <= LOG_BOUNDS.lines, `a batch of ${batch.lines.length} lines`);
        assert.equal(delivered.at(-1), '20000');
        assert.equal(delivered.length + dropped, 20_000, `${delivered.length} delivered + ${dropped} dropped`);
        assert.ok(batches.length < 200, `${batches.length} events for 20,000 lines`);
        assert.equal(streams.stop(streamId), true);
        await waitUntil(
          'the stream to end',
          () => Promise.resolve(events.some((e) => e.type === 'logs.ended' && e.streamId === streamId)),
          10_000,
          50,
        );
        const ended = events.find((e) => e.type === 'logs.ended' && e.streamId === streamId);
        assert.ok(ended?.type === 'logs.ended' && ended.error === undefined, 'stopping is a clean end');
        assert.equal(streams.open, 0);
      } finally {
        streams.dispose();
      }
    });

    test('`afp open <env> minio-console` opens the forwarded console in the browser, the forward answers HTTP, and Ctrl-C closes it', async () => {
      const status = await afp(['status', name]);
      assert.match(
        status.stdout,
        new RegExp(`MinIO console +\\(cluster-only: afp open ${name} minio-console forwards it\\)`),
        status.stdout,
      );
      const open = await afpOpen(name, 'minio-console', config);
      try {
        assert.equal(open.opened, `${open.url}\n`, 'the browser was handed exactly the printed URL');
        const answer = await fetch(open.url);
        assert.equal(answer.status, 200);
        assert.match(await answer.text(), /MinIO Console/i, 'the console itself answers through the forward');
        assert.equal(await open.interrupt(), 0);
        await assert.rejects(fetch(open.url), 'the forward is closed after Ctrl-C');
      } finally {
        await open.interrupt();
      }
    });
  },
);
