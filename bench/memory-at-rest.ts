/**
 * Memory at rest: the RSS of the built preview program (out/main/preview.js,
 * the same bundle and loading order as the Electron shell's main process) with
 * the Catalogue served and no environments. Prints JSON. Goal: ≤ 120 MB.
 *
 * Four figures per run, each a new process: when it first serves (before any
 * request), right after the Catalogue is answered, settled a few seconds
 * later (the figure the goal is about: an app resting on its Catalogue), and
 * once a template has been opened. Baseline: a bare `node -e` process's RSS.
 *
 * The Catalogue's requests are the ones its page makes: settings, app info,
 * profile, sign-in status, the templates, the cluster status (kube.contexts,
 * on a kubeconfig of three contexts written for the run), and the templates
 * again once their target marks can be computed (the renderer asks again on
 * catalogue.changed).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTTP_REQUEST_PREFIX } from '../main/api';
import { HEAP_GROWING_PERCENT } from '../main/shell/heap-policy';
import { buildApp } from '../scripts/build';

// Builds and measures the tree it is run in (cwd), so a baseline tree can be measured with this same script.

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GOAL_MB = 120;
const SETTLE_MS = 4000;

/** Three contexts, as a user's ~/.kube/config may hold (no cluster is contacted: the Catalogue only lists them). */
const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: lab
clusters:
- { name: lab, cluster: { server: 'https://127.0.0.1:1', certificate-authority-data: ZmFrZQ== } }
- { name: prod, cluster: { server: 'https://127.0.0.2:1' } }
users:
- { name: admin, user: { client-certificate-data: ZmFrZQ==, client-key-data: ZmFrZQ== } }
- { name: oidc, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: kubelogin, args: [get-token] } } }
contexts:
- { name: lab, context: { cluster: lab, user: admin, namespace: physics } }
- { name: prod, context: { cluster: prod, user: oidc } }
- { name: prod-admin, context: { cluster: prod, user: admin } }
`;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? NaN) / 1024);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await sleep(500);
  const rss = rssMb(child.pid ?? 0);
  child.kill();
  return rss;
}

async function oneRun(): Promise<{
  servingMb: number;
  catalogueMb: number;
  settledMb: number;
  templateOpenedMb: number;
  templates: number;
}> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'afp-bench-'));
  const kubeconfig = path.join(configDir, 'kubeconfig');
  writeFileSync(kubeconfig, KUBECONFIG, { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { ...process.env, AFP_CONFIG_DIR: configDir, KUBECONFIG: kubeconfig };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'AFP_PROFILE']) delete env[name];
  const child = spawn(process.execPath, [path.resolve('out', 'main', 'preview.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const url = new URL(line);
    const token = url.hash.replace(/^#token=/, '');
    const pid = child.pid ?? 0;
    const servingMb = rssMb(pid);
    const call = async (name: string, input: unknown = {}): Promise<{ ok: boolean; value?: unknown }> => {
      const response = await fetch(`${url.origin}${HTTP_REQUEST_PREFIX}${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const answer = (await response.json()) as { ok: boolean; value?: unknown };
      if (!answer.ok) throw new Error(`${name} failed: ${JSON.stringify(answer)}`);
      return answer;
    };
    await Promise.all(['settings.get', 'app.info', 'profile.get', 'auth.status'].map((name) => call(name)));
    await call('templates.list');
    const contexts = (await call('kube.contexts')).value as { state?: string; contexts?: unknown[] };
    if (contexts.state !== 'ready' || contexts.contexts?.length !== 3) throw new Error(`kube.contexts: ${JSON.stringify(contexts)}`);
    await sleep(1000);
    const body = (await call('templates.list')) as { ok: boolean; value?: { templates?: { targets?: unknown }[] } };
    if (body.value?.templates?.some((card) => card.targets === undefined) !== false) throw new Error('The Catalogue has no target marks');
    const catalogueMb = rssMb(pid);
    await sleep(SETTLE_MS);
    const settledMb = rssMb(pid);
    const first = (body.value?.templates?.[0] as { name?: string } | undefined)?.name ?? '';
    await call('templates.get', { name: first });
    await sleep(SETTLE_MS);
    return { servingMb, catalogueMb, settledMb, templateOpenedMb: rssMb(pid), templates: body.value?.templates?.length ?? 0 };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

await buildApp();
const loadBefore = os.loadavg()[0] ?? NaN;
const runs = [];
for (let run = 0; run < RUNS; run++) runs.push(await oneRun());
const bare = await bareNodeRss();
const settled = median(runs.map((r) => r.settledMb));
console.log(
  JSON.stringify(
    {
      benchmark: 'memory-at-rest',
      runs: RUNS,
      what: "RSS of node out/main/preview.js (new process per run) after the Catalogue page's requests (templates with their target marks, cluster status on a 3-context kubeconfig, profile, sign-in status), no environments, no session; median of runs",
      templatesServed: runs[0]?.templates,
      servingMb: median(runs.map((r) => r.servingMb)),
      afterCatalogueMb: median(runs.map((r) => r.catalogueMb)),
      settledOnCatalogueMb: settled,
      afterTemplateOpenedMb: median(runs.map((r) => r.templateOpenedMb)),
      goalMb: GOAL_MB,
      v8Flags: `--heap-growing-percent=${HEAP_GROWING_PERCENT}, set by the app itself at start (main/shell/heap-policy.ts); none by this bench`,
      settledVsGoal: Number((settled / GOAL_MB).toFixed(3)),
      bareNodeMb: bare,
      settledVsBareNode: Number((settled / bare).toFixed(2)),
      machine: {
        cores: os.cpus().length,
        loadAverage1mBefore: Number(loadBefore.toFixed(2)),
        loadAverage1mAfter: Number((os.loadavg()[0] ?? NaN).toFixed(2)),
      },
    },
    null,
    2,
  ),
);
