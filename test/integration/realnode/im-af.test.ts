/**
 * The analysis facility in its IM shape, deployed with `afp --target im` (and
 * `--target dispatcher`, in front of the same IM) onto the bed's real
 * container nodes: each user's JupyterLab opens at IM's link with its own
 * token (and not without it), computes a dask.array sum on the workers IM
 * created over mutual TLS, reads and writes MinIO; a client without the
 * environment's certificate is refused. The environment is then resized (IM
 * recreates it, either way) and ends with the new number of workers computing,
 * and deleted with nothing left in the namespace. As in im-minio.test.ts the
 * namespace is prepared as a site admin would (PodNodeSelector and
 * PodTolerationRestriction annotations) since IM sets no tolerations, and the
 * bed's registry mirror serves IM's forced pulls.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { kubectl, kubectlJson, waitUntil } from '../../support/testbed';
import { afp, imWorld, type ImWorld } from '../environments-im/support';
import { podsIn, uniqueName } from '../targets-im/support';
import { leftInNamespace, realNodeNamespace } from './im-namespace';
import { realNodes, skipWithoutRealNodes } from './real-node';

let world: ImWorld;

before(async () => {
  if (skipWithoutRealNodes() === false) world = await imWorld();
});
after(async () => {
  await world?.close();
});

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: { env?: { name: string; value?: string }[] }[] };
  status: { containerStatuses?: { ready: boolean }[] };
}

/** GET a JupyterLab URL; the status code and, for redirects, where to. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Python in a user's JupyterLab container, as a notebook cell would run it. */
async function inLab(namespace: string, pod: string, code: string, env: string[] = []): Promise<string> {
  const run = await kubectl(['exec', '-n', namespace, pod, '--', 'env', ...env, 'python', '-c', code], { timeoutMs: 120_000 });
  assert.equal(run.code, 0, `${run.stdout}${run.stderr}`);
  return run.stdout.trim();
}

// A dask.array sum of squares computed on the workers IM created (its graph's functions, pickled by the lab, name
// cytoolz: the workers' image must have it too). Prints the scheduler, its workers, the sum, and how many workers ran tasks.
const compute = (workers: number): string => `
import dask.array as da
from dask.distributed import Client, get_task_stream
client = Client(timeout=60)
client.wait_for_workers(${workers}, timeout=180)
x = da.arange(1_000_000, chunks=50_000)
with get_task_stream(client) as stream:
    total = int((x * x).sum().compute())
print(client.scheduler.address, len(client.scheduler_info()["workers"]), total, len({task["worker"] for task in stream.data}))
`;
// Σ k² for k < 10⁶.
const SUM_OF_SQUARES = '333332833333500000';

// A TLS client trusting the environment's authority, first without a certificate, then with the JupyterLab's one.
// (A dask Client cannot be made to go without: Security() fills a missing certificate from the environment's config.)
const HANDSHAKES = `
import os, socket, ssl
host, port = os.environ["DASK_SCHEDULER_ADDRESS"][len("tls://"):].rsplit(":", 1)
def attempt(certificate):
    context = ssl.create_default_context(cafile="/etc/dask/tls/ca.pem")
    context.check_hostname = False
    if certificate:
        context.load_cert_chain(certificate)
    try:
        with socket.create_connection((host, int(port)), timeout=15) as raw:
            with context.wrap_socket(raw) as tls:
                tls.sendall(b"\\0" * 8)
                tls.settimeout(5)
                tls.recv(1)
                return "accepted"
    except ssl.SSLError as error:
        return "refused: " + (error.reason or str(error))
    except socket.timeout:
        return "accepted"
print(attempt(None), "|", attempt("/etc/dask/tls/client.pem"))
`;

const STORAGE = `
import boto3
s3 = boto3.client("s3")
s3.create_bucket(Bucket="physics")
s3.put_object(Bucket="physics", Key="result.txt", Body=b"sigma = 42 pb\\n")
print(s3.get_object(Bucket="physics", Key="result.txt")["Body"].read().decode().strip())
`;

type Target = 'im' | 'dispatcher';

/** Values for a small facility on the bed's real nodes: alice (the owner) and bob, and a number of workers. */
function sizeArgs(workers: number): string[] {
  const values = ['hubUsers=bob', 'userCpu=250m', 'userMemory=1Gi', 'userStorage=1Gi', `workers=${workers}`, 'workerCpu=250m'];
  return [...values, 'workerMemory=1Gi', 'storage=1Gi'].flatMap((value) => ['--set', value]);
}

/** The environment's pods, each on a real node; `podOf('lab-bob')` finds one by the IM node it runs. */
async function podsOnRealNodes(name: string): Promise<{ pods: Pod[]; podOf: (node: string) => Pod }> {
  const real = realNodes();
  const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name])).items;
  for (const pod of pods) assert.ok(real.names.includes(pod.spec.nodeName ?? ''), `${pod.metadata.name} on a real node`);
  const podOf = (node: string): Pod => {
    const pod = pods.find((p) => p.metadata.name.startsWith(`${node}-`));
    assert.ok(pod !== undefined, `a pod for ${node}: ${pods.map((p) => p.metadata.name).join(', ')}`);
    return pod;
  };
  return { pods, podOf };
}

/** Each user's JupyterLab at its link opens with its own token only. */
async function labsOpenWithTheirTokens(name: string, podOf: (node: string) => Pod): Promise<void> {
  const { dir, profileFile } = world;
  const token = (node: string): string => podOf(node).spec.containers[0]?.env?.find((entry) => entry.name === 'JUPYTER_TOKEN')?.value ?? '';

  // Known IM defect, seen on every run here: the first JupyterLab's output (alice's) keeps node port 0
  // (http://<node>:0/lab) while bob's is right; the app shows what IM answers. Her lab is checked at the node port
  // of her Service (as a site admin would find it) until IM gives it; bob's at IM's link.
  type Seen = { status: { phase: string }; links: { id: string; url?: string }[] };
  const status = await afp(['status', name, '--profile', profileFile, '--json'], dir);
  const seen = JSON.parse(status.stdout) as Seen;
  assert.equal(seen.status.phase, 'Ready', status.stdout);
  const services = await kubectlJson<{ items: { metadata: { name: string }; spec: { ports: { nodePort?: number }[] } }[] }>([
    'get',
    'services',
    '-n',
    name,
  ]);
  const linkOf = (user: string): string => {
    const link = seen.links.find((entry) => entry.id === `lab-${user}`)?.url ?? '';
    if (user === 'bob' || !/:0\/lab$/.test(link)) return link;
    const nodePort = services.items.find((service) => service.metadata.name.startsWith(`lab-${user}-`))?.spec.ports[0]?.nodePort;
    return link.replace(/:0\/lab$/, `:${nodePort}/lab`);
  };
  for (const user of ['alice', 'bob']) {
    const link = linkOf(user);
    assert.match(link, /^http:\/\/10\.\d+\.0\.\d+:\d+\/lab$/, `${user}'s link at a real node's NodePort`);
    const api = link.replace(/\/lab$/, '/api/status');
    await waitUntil(
      `${user}'s JupyterLab to answer`,
      async () => (await get(api).catch(() => ({ status: 0 }))).status !== 0,
      // Under the bed's load JupyterLab takes about two minutes to start.
      300_000,
      2000,
    );
    assert.equal((await get(api)).status, 403, 'no token, no entry');
    assert.equal((await get(api, { Authorization: `token ${token(`lab-${user}`)}` })).status, 200, `${user}'s token opens it`);
    const other = user === 'alice' ? 'lab-bob' : 'lab-alice';
    assert.equal((await get(api, { Authorization: `token ${token(other)}` })).status, 403, "another user's token does not");
    const page = await get(`${link}?token=${token(`lab-${user}`)}`);
    assert.ok([200, 302].includes(page.status), `the lab page with its token: ${page.status}`);
  }
}

/** From bob's JupyterLab: a dask.array sum on every one of the environment's workers, over TLS. */
async function computesOn(name: string, lab: string, workers: number): Promise<void> {
  const computed = await inLab(name, lab, compute(workers));
  assert.match(
    computed,
    new RegExp(`^tls://scheduler-[0-9a-f]{8}:8786 ${workers} ${SUM_OF_SQUARES} ${workers}$`),
    `a dask.array sum on IM's ${workers} worker(s) over TLS (scheduler, workers, sum, workers that ran tasks): ${computed}`,
  );
}

/**
 * Deploys the facility through the target onto the real nodes, checks the labs, Dask over mutual TLS and MinIO;
 * with `resizeTo`, resizes it (IM recreates it) and computes on the new workers; deletes it, leaving no pod.
 */
async function journey(target: Target, resizeTo?: number): Promise<void> {
  const name = uniqueName(`real-af-${target === 'im' ? 'im' : 'disp'}`);
  const { dir, profileFile } = world;
  await realNodeNamespace(name, realNodes());
  try {
    const deploy = await afp(
      [
        'deploy',
        'analysis-facility',
        '--profile',
        profileFile,
        '--target',
        target,
        '--name',
        name,
        ...sizeArgs(1),
        '--wait',
        '--timeout',
        '400s',
      ],
      dir,
    );
    assert.equal(deploy.code, 0, `${deploy.stdout}${deploy.stderr}`);
    assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(5/5 containers configured\\)\\.`));

    const { podOf } = await podsOnRealNodes(name);
    await labsOpenWithTheirTokens(name, podOf);
    const lab = podOf('lab-bob').metadata.name;
    await computesOn(name, lab, 1);
    // The scheduler ends the handshake: with TLS 1.3's alert, or by closing the connection before it is read.
    assert.match(
      await inLab(name, lab, HANDSHAKES),
      /^refused: (TLSV13_ALERT_CERTIFICATE_REQUIRED|EOF occurred in violation of protocol \(_ssl\.c:\d+\)) \| accepted$/,
      'the scheduler refuses a client without a certificate of the environment, and accepts the JupyterLab with one',
    );
    assert.equal(await inLab(name, lab, STORAGE), 'sigma = 42 pb', 'MinIO read and write from the JupyterLab');

    if (resizeTo !== undefined) {
      // IM cannot change a running infrastructure: the update deletes it and creates it again with the new values.
      const updated = await afp(['update', name, '--profile', profileFile, ...sizeArgs(resizeTo), '--wait', '--timeout', '500s'], dir);
      assert.equal(updated.code, 0, `${updated.stdout}${updated.stderr}`);
      assert.match(updated.stdout, new RegExp(`^Environment ${name} is updated and ready`));
      // The old pods may still be terminating when IM reports the new ones configured.
      const running = async (): Promise<Pod[]> =>
        (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name])).items.filter(
          (pod) => pod.metadata.deletionTimestamp === undefined && pod.status.containerStatuses?.every((c) => c.ready) === true,
        );
      await waitUntil(
        `${resizeTo} workers and nothing of the old infrastructure in ${name}`,
        async () =>
          (await running()).filter((pod) => pod.metadata.name.startsWith('worker')).length === resizeTo &&
          (await podsIn(name)).length === (await running()).length,
        120_000,
        2000,
      );
      const after = await podsOnRealNodes(name);
      const workers = after.pods.filter((pod) => pod.metadata.name.startsWith('worker'));
      assert.equal(workers.length, resizeTo, `worker pods: ${after.pods.map((pod) => pod.metadata.name).join(', ')}`);
      await computesOn(name, after.podOf('lab-bob').metadata.name, resizeTo);
    }

    const deleted = await afp(['delete', name, '--profile', profileFile, '--wait', '--timeout', '180s'], dir);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, new RegExp(`Environment ${name} is gone`));
    await waitUntil(`the pods in ${name} to go`, async () => (await podsIn(name)).length === 0, 120_000, 1000);
    assert.deepEqual(await leftInNamespace(name), [], 'IM removed everything it made');
  } finally {
    await afp(['delete', name, '--profile', profileFile], dir).catch(() => undefined);
    await kubectl(['delete', 'namespace', name, '--wait=false']);
  }
}

describe('real container nodes: the analysis facility through IM and the dispatcher', { skip: skipWithoutRealNodes() }, () => {
  it(
    "--target im: each user's JupyterLab opens with its token, computes on Dask over mutual TLS, uses MinIO; no certificate, no Dask; resized to 2 workers, then deleted",
    { timeout: 1_500_000 },
    () => journey('im', 2),
  );
  it('--target dispatcher: the same journey through the dispatcher (resized to 2 workers, then deleted)', { timeout: 1_500_000 }, () =>
    journey('dispatcher', 2),
  );
});
