import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { main } from '../../../main/cli';

const PROFILE = path.resolve('docs/examples/naples-af.yaml');

function workers(replicas: number, memory: string): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'dask-worker', labels: { 'app.kubernetes.io/component': 'dask' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'w' } },
      template: {
        metadata: { labels: { app: 'w' } },
        spec: { containers: [{ name: 'worker', image: 'ghcr.io/dask/dask', resources: { requests: { cpu: '2', memory } } }] },
      },
    },
  };
}

async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['fit', ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
  });
  return { code, stdout, stderr };
}

describe('afp fit', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'afp-fit-'));
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } };
    await writeFile(path.join(dir, 'fits.yaml'), [service, workers(6, '4Gi')].map((doc) => stringify(doc)).join('---\n'));
    await writeFile(path.join(dir, 'too-big.yaml'), stringify(workers(10, '15Gi')));
    await writeFile(path.join(dir, 'broken.yaml'), 'kind: Deployment\n  spec: [\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and shows where each pod goes when everything fits on the declared capacity', async () => {
    const result = await run(['fits.yaml', '--profile', PROFILE], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Fit of fits\.yaml on site profile .*naples-af\.yaml \(6 nodes\):/);
    assert.match(result.stdout, /fits {5}dask-worker-0 +→ af-/);
    assert.match(result.stdout, /^Fits: every pod has a node \(6 pods\)\.$/m);
    assert.match(result.stdout, /^The plan requests 12 vCPU \/ 24Gi in all \(6 pods\)\.$/m);
    assert.match(result.stdout, /Headroom after deploying:/);
  });

  it('exits 3 and prints the scheduler’s reason per pending pod', async () => {
    const result = await run(['too-big.yaml', '--profile', PROFILE], dir);
    assert.equal(result.code, 3);
    assert.match(
      result.stdout,
      /PENDING {2}dask-worker-\d +0\/6 nodes are available: 6 Insufficient memory\. no new claims to deallocate, preemption: /,
    );
    assert.match(result.stdout, /needs cpu 2, memory 15Gi; the closest node/);
    // The plain sentence last, naming the workload and what runs out.
    assert.match(result.stdout, /^\d dask-worker pods? of 10 will not start: not enough memory on any node\.$/m);
  });

  it('prints the whole report as JSON with --json', async () => {
    const result = await run(['too-big.yaml', '--profile', PROFILE, '--json'], dir);
    assert.equal(result.code, 3);
    const parsed = JSON.parse(result.stdout) as {
      report: { allFit: boolean; perPod: { fits: boolean; message?: string }[]; nodes: unknown[] };
    };
    assert.equal(parsed.report.allFit, false);
    assert.equal(parsed.report.nodes.length, 6);
    assert.ok(parsed.report.perPod.some((pod) => !pod.fits && pod.message?.startsWith('0/6 nodes are available')));
  });

  it('exits 1 with a plain message on bad files and unreachable clusters, 2 on usage mistakes', async () => {
    const neither = await run(['fits.yaml'], dir);
    assert.equal(neither.code, 2);
    assert.match(
      neither.stderr,
      /^error: give --kubeconfig FILE \(a live cluster\), or a site profile that declares its capacity \(--profile FILE\)/,
    );
    const both = await run(['fits.yaml', '--profile', PROFILE, '--kubeconfig', 'x'], dir);
    assert.equal(both.code, 1, 'the profile for the template, the kubeconfig for the capacity');
    assert.match(both.stderr, /No kubeconfig at \S*\/x\./);
    const unknownFlag = await run(['fits.yaml', '--profile', PROFILE, '--nope'], dir);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /Run afp fit --help for usage/);
    const valuesOnManifests = await run(['fits.yaml', '--profile', PROFILE, '--set', 'workers=3'], dir);
    assert.equal(valuesOnManifests.code, 2);
    assert.match(valuesOnManifests.stderr, /--values and --set apply to templates/);
    const broken = await run(['broken.yaml', '--profile', PROFILE], dir);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^error: .*broken\.yaml:\d+: not valid YAML/);
    const noKubeconfig = await run(['fits.yaml', '--kubeconfig', 'missing-kubeconfig'], dir);
    assert.equal(noKubeconfig.code, 1);
    assert.match(noKubeconfig.stderr, /No kubeconfig at \S*\/missing-kubeconfig\./);
  });

  it('renders a catalogue template with values and fits it on the Naples profile', async () => {
    const defaults = await run(['analysis-facility', '--profile', PROFILE], dir);
    assert.equal(defaults.code, 0, defaults.stderr);
    assert.match(defaults.stdout, /Fit of analysis-facility on site profile .* \(6 nodes\):/);
    assert.match(defaults.stdout, /fits {5}worker-0 +→ af-/);
    // The users' servers are counted, as on the Configure page.
    assert.match(defaults.stdout, /^Fits: every pod has a node \(15 pods, 3 of them users' servers\)\.$/m);
    // The profile's defaults apply, as in the app: 8 workers of 2 vCPU.
    assert.equal((defaults.stdout.match(/^ *fits {5}worker-\d+ /gm) ?? []).length, 8);
    const big = await run(['analysis-facility', '--profile', PROFILE, '--set', 'workers=20', '--set', 'workerCpu=7'], dir);
    assert.equal(big.code, 3);
    assert.match(big.stdout, /PENDING {2}worker-\d+ +0\/6 nodes are available: .*Insufficient cpu/);
    assert.match(big.stdout, /^\d+ worker pods of \d+ will not start: not enough CPU on any node\.$/m);
    const beyondRange = await run(['analysis-facility', '--profile', PROFILE, '--set', 'workers=30'], dir);
    assert.equal(beyondRange.code, 1, "the site's range, not a Pending verdict");
    assert.match(beyondRange.stderr, /workers.*20/);
    const locked = await run(['analysis-facility', '--profile', PROFILE, '--set', 'userStorage=50Gi'], dir);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /userStorage: cannot be changed: .*locks it to 10Gi.*given with --set; locked in .*naples-af\.yaml:\d+/);
    const unknown = await run(['no-such-template', '--profile', PROFILE], dir);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no-such-template/);
  });

  it('reports an unreachable cluster as unavailable, naming it', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
    );
    const result = await run(['fits.yaml', '--kubeconfig', kubeconfig, '--context', 'ctx'], dir);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^error: Listing the cluster's (nodes|pods): The Kubernetes API server https:\/\/127\.0\.0\.1:1 is not reachable \(ECONNREFUSED\)\./,
    );
    const badContext = await run(['fits.yaml', '--kubeconfig', kubeconfig, '--context', 'other'], dir);
    assert.match(badContext.stderr, /no context "other" \(contexts: ctx\)/);
  });
});
