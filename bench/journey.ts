/**
 * Time to science, printed as JSON: `afp deploy analysis-facility --wait` on
 * real container nodes (images already local) until a notebook has computed on
 * Dask and written to MinIO, with its breakdown:
 *   api           our apply (start → last wave applied) and when afp said Ready
 *   components    each pod's created → scheduled → container started → Ready,
 *                 as the kubelet reports them (pod conditions, containerStatuses; 1 s resolution)
 *   hub           sign-in, spawn (POST server → ready, KubeSpawner's pod and PVC), first computation
 *   ratio         total ÷ the components' own start → ready on the critical path
 *                 (slowest environment component + the user's server + the computation);
 *                 orchestrationS = total − that (goal ≤ 5 s)
 * plus the images' recorded build times and the real nodes' memory.
 * Usage: tsx bench/journey.ts   (reuses AFP_TESTBED_ENV when it names a bed of ≥ 2 untainted
 * real nodes, e.g. `npm run testbed -- up --real-nodes 2 --no-kwok-nodes`; else starts one)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afp } from '../test/support/afp';
import { runPython, startServer } from '../test/support/jupyter';
import { kubectl, kubectlJson, testbedEnv } from '../test/support/testbed';
import { portForward } from '../test/integration/realnode/real-node';
import { JOURNEY_VALUES, journeyBed, SCIENCE, signInOwner } from '../test/integration/journey/support';
import { nodeMemory } from '../test/testbed/node/memory';

interface Pod {
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  status: {
    conditions?: { type: string; status: string; lastTransitionTime: string }[];
    containerStatuses?: { state?: { running?: { startedAt: string } } }[];
  };
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

function podTimes(pod: Pod, t0: number): Record<string, number | undefined> & { startToReadyS?: number } {
  const at = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : seconds(Date.parse(iso) - t0));
  const condition = (type: string): string | undefined =>
    pod.status.conditions?.find((c) => c.type === type && c.status === 'True')?.lastTransitionTime;
  const started = pod.status.containerStatuses?.[0]?.state?.running?.startedAt;
  const ready = condition('Ready');
  return {
    createdS: at(pod.metadata.creationTimestamp),
    scheduledS: at(condition('PodScheduled')),
    containerStartedS: at(started),
    readyS: at(ready),
    ...(started !== undefined && ready !== undefined ? { startToReadyS: seconds(Date.parse(ready) - Date.parse(started)) } : {}),
  };
}

function imageBuilds(): Record<string, { seconds: number; finishedAt: string }> {
  const dir = path.join(
    process.env.AFP_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'af-provisioner'),
    'images',
  );
  const out: Record<string, { seconds: number; finishedAt: string }> = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.build.json'))) {
    const record = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { image: string; seconds: number; finishedAt: string };
    out[record.image] = { seconds: record.seconds, finishedAt: record.finishedAt };
  }
  return out;
}

async function main(): Promise<void> {
  const bed = await journeyBed();
  const config = mkdtempSync(path.join(os.tmpdir(), 'afp-bench-journey-'));
  process.env.AFP_CONFIG_DIR = config;
  const name = `bench-${Date.now().toString(36)}`;
  const sets = Object.entries(JOURNEY_VALUES).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  try {
    const t0 = Date.now();
    const deployed = await afp([
      'deploy',
      'analysis-facility',
      ...sets,
      '--kubeconfig',
      testbedEnv().adminKubeconfig,
      '--name',
      name,
      '--wait',
      '--timeout',
      '600s',
    ]);
    const readyAt = Date.now() - t0;
    if (deployed.code !== 0) throw new Error(`afp deploy failed: ${deployed.stderr}`);
    const stamp = (pattern: RegExp): number | undefined => {
      const match = pattern.exec(deployed.stderr);
      return match === null ? undefined : Number(match[1]);
    };
    const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name])).items;
    const components = Object.fromEntries(
      pods.map((pod) => [pod.metadata.labels?.['app.kubernetes.io/component'] ?? pod.metadata.name, podTimes(pod, t0)]),
    );

    const forward = await portForward(name, 'service/proxy-public', 80);
    let hub: { signInS: number; spawnS: number; firstComputationS: number; scienceDoneS: number };
    let userPod: ReturnType<typeof podTimes>;
    try {
      const signInBegan = Date.now();
      const session = await signInOwner(`http://127.0.0.1:${forward.port}`, name);
      const spawnBegan = Date.now();
      await startServer(session);
      const spawnEnded = Date.now();
      const run = await runPython(session, SCIENCE);
      const scienceEnded = Date.now();
      if (run.error !== undefined || !run.stdout.includes('"total": 332833500'))
        throw new Error(`the computation failed: ${run.error ?? run.stdout}`);
      userPod = podTimes(
        (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name, '-l', 'app.kubernetes.io/component=jupyter-user'])).items[0]!,
        t0,
      );
      hub = {
        signInS: seconds(spawnBegan - signInBegan),
        spawnS: seconds(spawnEnded - spawnBegan),
        firstComputationS: seconds(scienceEnded - spawnEnded),
        scienceDoneS: seconds(scienceEnded - t0),
      };
    } finally {
      forward.stop();
    }
    const slowest = Math.max(...Object.values(components).map((times) => times.startToReadyS ?? 0));
    // The user's server: its container started → the hub said it is ready.
    const spawnEndedS = hub.scienceDoneS - hub.firstComputationS;
    const userStartToHubReady =
      userPod.containerStartedS === undefined ? 0 : Math.max(0, seconds((spawnEndedS - userPod.containerStartedS) * 1000));
    const own = slowest + userStartToHubReady + hub.firstComputationS;
    const total = hub.scienceDoneS;
    const memory = Object.fromEntries(
      nodeMemory(testbedEnv().realNodes!.record).map((node) => [
        node.node,
        {
          totalMiB: Math.round(node.total / 1048576),
          ...Object.fromEntries(Object.entries(node.rss).map(([k, v]) => [k, Math.round(v / 1048576)])),
        },
      ]),
    );
    console.log(
      JSON.stringify(
        {
          template: 'analysis-facility',
          values: JOURNEY_VALUES,
          nodes: testbedEnv().realNodes!.names,
          timeToScienceS: total,
          api: {
            lastWaveAppliedS: stamp(/^\[ *([\d.]+)s\] Wave (\d+)\/\2: .*applied$/m),
            afpSaidReadyS: stamp(/^\[ *([\d.]+)s\] Ready:/m),
            deployReturnedS: seconds(readyAt),
          },
          components,
          userServer: userPod,
          hub,
          criticalPath: {
            slowestComponentStartToReadyS: slowest,
            userServerStartToReadyS: userStartToHubReady,
            firstComputationS: hub.firstComputationS,
            sumS: seconds(own * 1000),
          },
          ratio: Math.round((total / own) * 100) / 100,
          orchestrationS: seconds((total - own) * 1000),
          imageBuilds: imageBuilds(),
          bedStartS: seconds(bed.startMs),
          realNodeMemoryMiB: memory,
        },
        null,
        2,
      ),
    );
  } finally {
    await afp(['delete', name, '--wait', '--timeout', '300s']).catch(() => undefined);
    await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=false']).catch(() => undefined);
    rmSync(config, { recursive: true, force: true });
    await bed.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
