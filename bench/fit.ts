/**
 * Capacity benchmark, printed as JSON:
 *   synthetic   snapshot build from 5,000 nodes and 150,000 pods fed page by page
 *               as the API would return them (500 a page), then the fit of the
 *               built-in analysis-facility template (medium preset), and the largest
 *               Dask worker count that fits.
 *               Goal: snapshot + fit ≤ 200 ms, ≤ 300 MB.
 *   testbed     end to end on the running test bed (6 Naples nodes), API calls
 *               included: snapshotFromCluster + render + predictFit (skipped when no bed is up).
 * Times are medians of the runs, wall clock and CPU time (steadier on a shared
 * machine, whose load average is printed beside them). Memory: the process's
 * peak RSS, beside its RSS before the first run (Node, tsx, catalogue and
 * renderer loaded) and the heap a built snapshot keeps.
 * Usage: tsx bench/fit.ts [--nodes N] [--pods N] [--runs N]
 * Run with `node --expose-gc --import tsx bench/fit.ts` for an exact heap figure.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadCatalogue } from '../main/catalogue/catalogue';
import { predictFit, type PodToPlace } from '../main/capacity/fit';
import { podsFromPlan } from '../main/capacity/plan-pods';
import { renderPlan } from '../main/render/plan';
import { knobForParameter, largestThatFits, type Values } from '../main/capacity/sizing';
import { SnapshotBuilder, type ClusterSnapshot } from '../main/capacity/snapshot';
import { seededRandom } from '../test/support/seeded-random';
import { syntheticNode, syntheticPod } from './support/synthetic-cluster';
import { DEFAULT_ENV_PATH, ENV_VARIABLE, readEnv } from '../test/testbed/env';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const NODES = option('nodes', 5000);
const PODS = option('pods', 150_000);
const RUNS = option('runs', 5);
const PAGE = 500;

/** The built-in analysis-facility template's pods for `values` over its medium preset, as the renderer makes them. */
const template = (await loadCatalogue()).require('analysis-facility');
const medium = template.presets.find((preset) => preset.name === 'medium')?.values ?? {};
function analysisFacility(values: Values): PodToPlace[] {
  return podsFromPlan(renderPlan({ template, values: { ...medium, ...values }, environment: { name: 'bench' } }).pods);
}

/** Milliseconds of this process's CPU time (user + system): steadier than wall time on a shared machine. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? Number.NaN) * 10) / 10;
}

const collect = (globalThis as { gc?: () => void }).gc;

// What the process holds before any snapshot is built (Node, tsx, the catalogue and renderer): the rest of the peak is the runs'.
const baselineRssMB = mb(process.memoryUsage().rss);

/** Feeds the synthetic cluster page by page; returns the snapshot and the time spent in our code only, wall clock and CPU. */
function buildSnapshot(): { snapshot: ClusterSnapshot; ms: number; cpuMs: number } {
  const next = seededRandom(42); // the same cluster every run
  const builder = new SnapshotBuilder();
  let spent = 0;
  let spentCpu = 0;
  // Pages are made outside the clocks: only our handling of what the API returns is measured.
  const timed = (work: () => void): void => {
    const began = performance.now();
    const beganCpu = cpuMs();
    work();
    spentCpu += cpuMs() - beganCpu;
    spent += performance.now() - began;
  };
  for (let start = 0; start < NODES; start += PAGE) {
    const page = Array.from({ length: Math.min(PAGE, NODES - start) }, (_, i) => syntheticNode(start + i, next));
    timed(() => {
      for (const node of page) builder.addNode(node);
    });
  }
  for (let start = 0; start < PODS; start += PAGE) {
    const page = Array.from({ length: Math.min(PAGE, PODS - start) }, (_, i) => syntheticPod(start + i, next, NODES));
    timed(() => {
      for (const pod of page) builder.addPod(pod);
    });
  }
  let snapshot: ClusterSnapshot | undefined;
  timed(() => {
    snapshot = builder.build('cluster');
  });
  return { snapshot: snapshot as ClusterSnapshot, ms: spent, cpuMs: spentCpu };
}

/** What a built snapshot keeps on the heap (needs --expose-gc; forced collections skew timings, so apart). */
function snapshotHeapMB(): number | null {
  if (collect === undefined) return null;
  collect();
  const before = process.memoryUsage().heapUsed;
  const { snapshot } = buildSnapshot();
  collect();
  const after = process.memoryUsage().heapUsed;
  return snapshot.nodes.length > 0 ? mb(after - before) : null;
}

async function synthetic(): Promise<Record<string, unknown>> {
  const snapshotMs: number[] = [];
  const snapshotCpuMs: number[] = [];
  const fitMs: number[] = [];
  const fitCpuMs: number[] = [];
  const largestMs: number[] = [];
  let largest: number | null = null;
  let evaluations = 0;
  const knob = knobForParameter('workers', template.parameters.workers ?? { type: 'integer' });
  if (!knob) throw new Error('the template has no integer workers parameter');
  for (let run = 0; run < RUNS; run++) {
    const { snapshot, ms, cpuMs: cpu } = buildSnapshot();
    snapshotMs.push(ms);
    snapshotCpuMs.push(cpu);

    const plan = analysisFacility({});
    const fitStart = performance.now();
    const fitStartCpu = cpuMs();
    const report = predictFit(snapshot, plan);
    fitMs.push(performance.now() - fitStart);
    fitCpuMs.push(cpuMs() - fitStartCpu);
    if (!report.allFit) throw new Error('the synthetic cluster should take the analysis facility');

    const searchStart = performance.now();
    const search = await largestThatFits(snapshot, medium, knob, analysisFacility);
    largestMs.push(performance.now() - searchStart);
    largest = search.largest;
    evaluations = search.evaluations;
  }
  const snapshot = median(snapshotMs);
  const fit = median(fitMs);
  const best = (values: number[]): number => Math.round(Math.min(...values) * 10) / 10;
  return {
    nodes: NODES,
    pods: PODS,
    runs: RUNS,
    snapshotMs: snapshot,
    fitMs: fit,
    totalMs: Math.round((snapshot + fit) * 10) / 10,
    bestTotalMs: Math.round((best(snapshotMs) + best(fitMs)) * 10) / 10,
    snapshotCpuMs: median(snapshotCpuMs),
    fitCpuMs: median(fitCpuMs),
    totalCpuMs: Math.round((median(snapshotCpuMs) + median(fitCpuMs)) * 10) / 10,
    goalMs: 200,
    loadAverage: os.loadavg()[0],
    snapshotHeapMB: snapshotHeapMB(),
    baselineRssMB,
    peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
    goalMB: 300,
    planPods: analysisFacility({}).length,
    largestWorkers: {
      ms: median(largestMs),
      value: largest,
      evaluations,
      note: "binary search within the workers parameter's min..max, rendering the template at each step",
    },
  };
}

async function testbed(): Promise<Record<string, unknown>> {
  let env;
  try {
    env = readEnv(process.env[ENV_VARIABLE] ?? DEFAULT_ENV_PATH);
  } catch (error) {
    return { skipped: error instanceof Error ? error.message : String(error) };
  }
  // The API client is loaded here, not up front: the synthetic runs do not use it, and under tsx it alone adds ~100 MB of RSS.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { snapshotFromCluster } = await import('../main/capacity/snapshot-cluster');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(env.adminKubeconfig);
  const totals: number[] = [];
  const snapshots: number[] = [];
  let nodes = 0;
  let allFit = false;
  for (let run = 0; run < RUNS; run++) {
    const began = performance.now();
    const snapshot = await snapshotFromCluster(kubeConfig);
    const listed = performance.now();
    const report = predictFit(snapshot, analysisFacility({}));
    totals.push(performance.now() - began);
    snapshots.push(listed - began);
    nodes = snapshot.nodes.length;
    allFit = report.allFit;
  }
  return {
    nodes,
    runs: RUNS,
    endToEndMs: median(totals),
    snapshotMs: median(snapshots),
    firstRunMs: Math.round((totals[0] ?? 0) * 10) / 10,
    allFit,
  };
}

const result = { synthetic: await synthetic(), testbed: await testbed() };
console.log(JSON.stringify(result, null, 2));
