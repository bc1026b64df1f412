/**
 * Soak benchmark, printed as JSON: an hour of use compressed into a few
 * minutes. The app's main-process services (inventory, tracking, operations)
 * run in this process against the test bed, through a fault proxy of their
 * own that adds latency and cuts every long-lived connection every few
 * seconds, while environments (the built-in Dask template) are deployed,
 * resized, have their dashboard link port-forwarded, and are deleted, several
 * at a time. Measured:
 *   memory   RSS and heap after a full GC, sampled every 5 s; growth from the
 *            end of the warm-up (first quarter) to the end (goal: flat, ≤ 5 %)
 *   leaks    after every environment is deleted: watches open in the process,
 *            clusters held, environments tracked, port-forwards, and the
 *            proxy's open connections; again after tracking is disposed (all 0)
 * Usage: node --expose-gc --import tsx bench/soak.ts [--minutes 4] [--envs 6] [--parallel 3] [--cut-every 4] [--latency 15] [--private]
 * --private starts a bed of its own instead of using the running one (.testbed/env.json).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { builtinTemplatesDir } from '../main/catalogue/builtin';
import { loadCatalogue } from '../main/catalogue/catalogue';
import { EnvironmentOperations } from '../main/environments/operations';
import { openWatchCount } from '../main/kube/informer';
import { createTracking } from '../main/tracking/index';
import { Inventory } from '../main/inventory/inventory';
import { FaultProxy } from '../test/testbed/fault/proxy';
import { startTestbed, type Testbed } from '../test/testbed/index';
import { kubeconfigYaml } from '../test/testbed/kube/kubeconfig';
import { testbedEnv, type TestbedEnv } from '../test/support/testbed';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  const value = at < 0 ? undefined : Number(args[at + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
};
const MINUTES = arg('minutes', 4);
const ENVS = arg('envs', 6);
const PARALLEL = arg('parallel', 3);
const CUT_EVERY_S = arg('cut-every', 4);
const LATENCY_MS = arg('latency', 15);
const SAMPLE_MS = 5000;
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

interface Sample {
  atS: number;
  rssMb: number;
  heapMb: number;
  environments: number;
  watches: number;
}

function sample(began: number, environments: number): Sample {
  gc?.();
  const memory = process.memoryUsage();
  return {
    atS: Math.round((Date.now() - began) / 100) / 10,
    rssMb: mb(memory.rss),
    heapMb: mb(memory.heapUsed),
    environments,
    watches: openWatchCount(),
  };
}

/** Mean of the first and last three samples of a window, and the growth between them in %. */
function growth(samples: Sample[], key: 'rssMb' | 'heapMb'): { startMb: number; endMb: number; percent: number } {
  const mean = (xs: Sample[]): number => xs.reduce((a, s) => a + s[key], 0) / Math.max(xs.length, 1);
  const start = mean(samples.slice(0, 3));
  const end = mean(samples.slice(-3));
  return {
    startMb: Math.round(start * 10) / 10,
    endMb: Math.round(end * 10) / 10,
    percent: Math.round(((end - start) / start) * 1000) / 10,
  };
}

async function proxyFor(env: TestbedEnv, dir: string): Promise<{ proxy: FaultProxy; kubeconfig: string; server: string }> {
  const admin = parseYaml(readFileSync(env.adminKubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const decode = (data: string | undefined): string => Buffer.from(data ?? '', 'base64').toString('utf8');
  const ca = decode(admin.clusters[0]?.cluster['certificate-authority-data']);
  const api = new URL(env.apiServerUrl);
  const proxy = await FaultProxy.start({ name: 'soak', mode: 'tcp', upstream: { host: api.hostname, port: Number(api.port), tlsCa: ca } });
  const kubeconfig = join(dir, 'soak.kubeconfig');
  writeFileSync(
    kubeconfig,
    kubeconfigYaml({
      server: proxy.url,
      caPem: ca,
      clientCertPem: decode(admin.users[0]?.user['client-certificate-data']),
      clientKeyPem: decode(admin.users[0]?.user['client-key-data']),
    }),
    { mode: 0o600 },
  );
  return { proxy, kubeconfig, server: proxy.url };
}

async function main(): Promise<void> {
  if (gc === undefined) console.error('note: run with --expose-gc for memory figures after a full GC');
  let bed: Testbed | undefined;
  const env = args.includes('--private') ? (bed = await startTestbed({ idp: false, im: false, dispatcher: false })).env : testbedEnv();
  const dir = mkdtempSync(join(tmpdir(), 'afp-soak-'));
  const { proxy, kubeconfig } = await proxyFor(env, dir);
  const inventory = Inventory.open(dir);
  const tracking = createTracking({ inventory, watch: { probeEveryMs: 5000 } });
  tracking.tracker.start();
  const operations = new EnvironmentOperations({ store: inventory, catalogue: () => loadCatalogue({ dirs: [builtinTemplatesDir()] }) });
  let batches = 0;
  tracking.tracker.onBatch(() => (batches += 1));
  proxy.set({ latencyMs: { up: LATENCY_MS, down: LATENCY_MS }, cutEverySeconds: CUT_EVERY_S, cutMinAgeMs: 500 });

  const tag = process.pid.toString(36);
  const slots: (string | undefined)[] = Array.from({ length: ENVS }, () => undefined);
  const counts = { deploys: 0, resizes: 0, deletes: 0, forwards: 0, failures: 0 };
  const failures: string[] = [];
  let serial = 0;
  const began = Date.now();
  const endAt = began + MINUTES * 60_000;
  const samples: Sample[] = [];
  const sampler = setInterval(() => samples.push(sample(began, inventory.list().length)), SAMPLE_MS);

  const note = (what: string, error: unknown): void => {
    counts.failures += 1;
    if (failures.length < 10) failures.push(`${what}: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
  };

  /** One step on one slot: deploy when empty; otherwise resize, open the dashboard, or delete. */
  async function step(slot: number): Promise<void> {
    const name = slots[slot];
    const roll = Math.random();
    if (name === undefined) {
      const fresh = `soak-${tag}-${(serial += 1)}`;
      slots[slot] = fresh;
      const done = await (
        await operations.deploy({
          template: 'dask',
          name: fresh,
          kubeconfig,
          values: { workers: 1, workerCpu: '250m', workerMemory: '512Mi' },
        })
      ).done;
      counts.deploys += 1;
      if (done.outcome !== 'succeeded') note(`deploy ${fresh}`, done.error);
    } else if (roll < 0.45) {
      const done = await (await operations.update(name, { workers: 1 + Math.floor(Math.random() * 3) })).done;
      counts.resizes += 1;
      if (done.outcome !== 'succeeded') note(`resize ${name}`, done.error);
    } else if (roll < 0.7) {
      const id = inventory.get(name)?.id;
      // The dashboard needs a Ready scheduler pod; before that the app says so, which is no leak either.
      if (id !== undefined && tracking.tracker.view(id)?.status.phase === 'Ready') {
        await tracking.tracker.openLink(id, 'dask-dashboard').then(
          () => (counts.forwards += 1),
          () => undefined,
        );
      }
      await sleep(500);
    } else {
      const done = await (await operations.delete(name, { waitMs: 60_000 })).done;
      counts.deletes += 1;
      if (done.outcome !== 'succeeded') note(`delete ${name}`, done.error);
      slots[slot] = undefined;
    }
  }

  const workers = Array.from({ length: PARALLEL }, async (_, worker) => {
    while (Date.now() < endAt) {
      // Each worker owns the slots worker, worker + PARALLEL, …: one operation per environment at a time.
      const mine = slots.map((_, i) => i).filter((i) => i % PARALLEL === worker);
      const slot = mine[Math.floor(Math.random() * mine.length)];
      if (slot === undefined) return;
      await step(slot).catch((error: unknown) => note(`slot ${slot}`, error));
    }
  });
  await Promise.all(workers);
  clearInterval(sampler);
  const cuts = proxy.stats().totalConnections;

  // Delete what is left, faults off, then look for anything still open.
  proxy.clear();
  await Promise.all(
    slots.map(async (name) => {
      if (name === undefined) return;
      const done = await (await operations.delete(name, { waitMs: 60_000 })).done;
      counts.deletes += 1;
      if (done.outcome !== 'succeeded') note(`final delete ${name}`, done.error);
    }),
  );
  for (let i = 0; i < 100 && (tracking.tracker.trackedCount > 0 || openWatchCount() > 0); i += 1) await sleep(100);
  const afterDeletes = {
    environmentsTracked: tracking.tracker.trackedCount,
    clustersHeld: tracking.clusters.size,
    watchesOpen: openWatchCount(),
    portForwards: tracking.forwards.keys().length,
    proxyConnectionsOpen: proxy.stats().openConnections,
  };
  tracking.dispose();
  for (let i = 0; i < 50 && (openWatchCount() > 0 || proxy.stats().openConnections > 0); i += 1) await sleep(100);
  const afterDispose = { watchesOpen: openWatchCount(), proxyConnectionsOpen: proxy.stats().openConnections };

  const warm = samples.slice(Math.floor(samples.length / 4));
  const result = {
    benchmark: 'soak',
    minutes: MINUTES,
    environmentSlots: ENVS,
    parallel: PARALLEL,
    faults: { latencyMsEachWay: LATENCY_MS, cutLongLivedEverySeconds: CUT_EVERY_S, connectionsOpenedThroughProxy: cuts },
    operations: counts,
    trackerBatches: batches,
    memory: {
      warmupSamples: samples.length - warm.length,
      samples: warm.length,
      rss: growth(warm, 'rssMb'),
      heap: growth(warm, 'heapMb'),
      peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
    },
    leaks: { afterDeletes, afterDispose },
    failures,
    series: samples,
  };
  console.log(JSON.stringify(result, null, 2));
  await proxy.close();
  rmSync(dir, { recursive: true, force: true });
  await bed?.stop();
}

await main();
