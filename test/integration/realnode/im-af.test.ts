/**
 * The analysis facility in its IM shape, deployed with `afp --target im` (and
 * `--target dispatcher`, in front of the same IM) onto the bed's real
 * container nodes: each user's JupyterLab opens at IM's link with its own
 * token (and not without it), computes a dask.array sum on the workers IM
 * created over mutual TLS, reads and writes MinIO with its user's own keys
 * (not MinIO's root, which no lab holds, and refused by MinIO's admin API),
 * and gets it back when MinIO loses it (minio-users makes it again); `afp
 * credentials` shows each lab's token and keys; every lab's link is right; a
 * client without the environment's certificate is refused. The environment is then resized (IM
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
import { OWN_KEYS, type OwnKeysResult } from '../journey/support';
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

// Run in minio-users (which holds the root keys): MinIO forgets bob's user, as a MinIO on a new volume would.
const FORGET_BOB = `
import os
from urllib.parse import urlsplit
from minio import MinioAdmin
from minio.credentials import StaticProvider
api = urlsplit(os.environ["AFP_MINIO_ENDPOINT"])
root = StaticProvider(os.environ["AFP_MINIO_ROOT_USER"], os.environ["AFP_MINIO_ROOT_PASSWORD"])
MinioAdmin(endpoint=api.netloc, secure=False, credentials=root).user_remove("lab-bob")
print("removed")
`;
const LIST_BUCKETS = 'import boto3; print(len(boto3.client("s3").list_buckets()["Buckets"]))';

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
    // IM's eight-character suffix, then the ReplicaSet's: "minio" must not find minio-users' pod.
    const pod = pods.find((p) => new RegExp(`^${node}-[0-9a-z]{8}-`).test(p.metadata.name));
    assert.ok(pod !== undefined, `a pod for ${node}: ${pods.map((p) => p.metadata.name).join(', ')}`);
    return pod;
  };
  return { pods, podOf };
}

/** Each user's JupyterLab at its link opens with its own token only. */
async function labsOpenWithTheirTokens(name: string, podOf: (node: string) => Pod): Promise<void> {
  const { dir, profileFile } = world;
  const token = (node: string): string => podOf(node).spec.containers[0]?.env?.find((entry) => entry.name === 'JUPYTER_TOKEN')?.value ?? '';

  // IM 2.0.0 answers port 0 for every published container but the last (main/targets/im/zero-ports.ts): the app
  // mends the link from the container's RADL, so each lab's link is its own Service's node port on its node.
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
  const linkOf = (user: string): string => seen.links.find((entry) => entry.id === `lab-${user}`)?.url ?? '';
  for (const user of ['alice', 'bob']) {
    const nodePort = services.items.find((service) => new RegExp(`^lab-${user}-[0-9a-z]{8}$`).test(service.metadata.name))?.spec.ports[0]
      ?.nodePort;
    assert.ok(nodePort !== undefined && nodePort > 0, `lab-${user}'s Service has a node port`);
    assert.match(
      linkOf(user),
      new RegExp(`^http://10\\.\\d+\\.0\\.\\d+:${nodePort}/lab$`),
      `${user}'s link at the node port of lab-${user}'s Service`,
    );
  }
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

interface Deployment {
  metadata: { name: string };
  spec: {
    template: {
      spec: {
        containers: { env?: { name: string; value?: string }[] }[];
        volumes?: { configMap?: { name: string }; secret?: { secretName: string } }[];
      };
    };
  };
}

/** Every text a Deployment gives its container: its own spec and the ConfigMaps and Secrets (decoded) it mounts. */
async function textsOf(namespace: string, deployment: Deployment): Promise<string> {
  const texts = [JSON.stringify(deployment)];
  for (const volume of deployment.spec.template.spec.volumes ?? []) {
    if (volume.configMap !== undefined) {
      const map = await kubectlJson<{ data?: Record<string, string> }>(['get', 'configmap', volume.configMap.name, '-n', namespace]);
      texts.push(...Object.values(map.data ?? {}));
    }
    if (volume.secret !== undefined) {
      const secret = await kubectlJson<{ data?: Record<string, string> }>(['get', 'secret', volume.secret.secretName, '-n', namespace]);
      texts.push(...Object.values(secret.data ?? {}).map((value) => Buffer.from(value, 'base64').toString('utf8')));
    }
  }
  return texts.join('\n');
}

/**
 * MinIO's root keys are in MinIO and the minio-users container alone: no lab's Deployment, nor any ConfigMap or
 * Secret it mounts, holds them; each lab holds the access key named after it (its own MinIO user).
 */
async function rootKeysInNoLab(name: string): Promise<void> {
  const deployments = (await kubectlJson<{ items: Deployment[] }>(['get', 'deployments', '-n', name])).items;
  const byNode = (node: string): Deployment[] => deployments.filter((d) => new RegExp(`^${node}-[0-9a-z]{8}$`).test(d.metadata.name));
  const [minio] = byNode('minio');
  assert.ok(minio !== undefined, `a MinIO Deployment: ${deployments.map((d) => d.metadata.name).join(', ')}`);
  const env = minio.spec.template.spec.containers[0]?.env ?? [];
  const root = ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'].map((key) => env.find((entry) => entry.name === key)?.value ?? '');
  for (const key of root) assert.ok(key.length >= 16, 'the root keys were read from MinIO');
  const [maker] = byNode('minio-users');
  assert.ok(maker !== undefined, 'a minio-users Deployment');
  const makerTexts = await textsOf(name, maker);
  for (const key of root) assert.ok(makerTexts.includes(key), 'minio-users holds the root keys (so this check can see them)');
  for (const user of ['alice', 'bob']) {
    const [lab] = byNode(`lab-${user}`);
    assert.ok(lab !== undefined, `a Deployment for lab-${user}`);
    const texts = await textsOf(name, lab);
    for (const key of root) assert.ok(!texts.includes(key), `lab-${user} holds no root key, in its Deployment or what it mounts`);
    const labEnv = lab.spec.template.spec.containers[0]?.env ?? [];
    assert.equal(labEnv.find((entry) => entry.name === 'AWS_ACCESS_KEY_ID')?.value, `lab-${user}`, `lab-${user}'s own MinIO user`);
  }
}

/**
 * `afp credentials` shows each user's lab token and MinIO keys (read from the TOSCA IM stores) as the labs hold
 * them, and MinIO's root keys as MinIO holds them.
 */
async function credentialsShown(name: string, podOf: (node: string) => Pod): Promise<void> {
  const { dir, profileFile } = world;
  const shown = await afp(['credentials', name, '--profile', profileFile, '--json'], dir);
  assert.equal(shown.code, 0, shown.stderr);
  const view = JSON.parse(shown.stdout) as { credentials: { title: string; username?: string; secret: string }[]; unavailable?: string };
  assert.equal(view.unavailable, undefined, view.unavailable);
  const byTitle = new Map(view.credentials.map((c) => [c.title, c]));
  const env = (node: string, variable: string): string =>
    podOf(node).spec.containers[0]?.env?.find((entry) => entry.name === variable)?.value ?? '-';
  for (const user of ['alice', 'bob']) {
    const lab = `lab-${user}`;
    assert.deepEqual(byTitle.get(`JupyterLab token (${user})`)?.secret, env(lab, 'JUPYTER_TOKEN'), `${user}'s lab token`);
    assert.deepEqual(
      [byTitle.get(`MinIO keys (${user})`)?.username, byTitle.get(`MinIO keys (${user})`)?.secret],
      [env(lab, 'AWS_ACCESS_KEY_ID'), env(lab, 'AWS_SECRET_ACCESS_KEY')],
      `${user}'s MinIO keys`,
    );
  }
  const root = byTitle.get('MinIO console and API (root)');
  assert.deepEqual([root?.username, root?.secret], [env('minio', 'MINIO_ROOT_USER'), env('minio', 'MINIO_ROOT_PASSWORD')]);
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
    assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(6/6 containers configured\\)\\.`));

    const { podOf } = await podsOnRealNodes(name);
    await labsOpenWithTheirTokens(name, podOf);
    await credentialsShown(name, podOf);
    const lab = podOf('lab-bob').metadata.name;
    await computesOn(name, lab, 1);
    // The scheduler ends the handshake: with TLS 1.3's alert, or by closing the connection before it is read.
    assert.match(
      await inLab(name, lab, HANDSHAKES),
      /^refused: (TLSV13_ALERT_CERTIFICATE_REQUIRED|EOF occurred in violation of protocol \(_ssl\.c:\d+\)) \| accepted$/,
      'the scheduler refuses a client without a certificate of the environment, and accepts the JupyterLab with one',
    );
    // Each lab's storage keys are its user's own (issue 19): alice's lab reads and writes with hers; bob's too,
    // and MinIO's admin API refuses his.
    await rootKeysInNoLab(name);
    assert.equal(await inLab(name, podOf('lab-alice').metadata.name, STORAGE), 'sigma = 42 pb', "MinIO read and write from alice's lab");
    const own = JSON.parse((await inLab(name, lab, OWN_KEYS)).split('\n').at(-1) ?? '') as OwnKeysResult;
    assert.equal(own.accessKey, 'lab-bob', "bob's lab uses his own MinIO user");
    assert.equal(own.readBack, 'hello', "bob's lab reads and writes with his own keys");
    assert.equal(own.admin.status, 403, `MinIO's admin API (list users) refuses bob's keys: ${JSON.stringify(own.admin)}`);
    assert.match(own.admin.body, /AccessDenied/);
    if (target === 'im') {
      // minio-users stays: when MinIO loses a lab's user, it makes it again (every 60 s) and says so in its log.
      const maker = podOf('minio-users').metadata.name;
      const forget = await kubectl(['exec', '-n', name, maker, '--', 'python3', '-c', FORGET_BOB], { timeoutMs: 60_000 });
      assert.equal(forget.stdout.trim(), 'removed', `${forget.stdout}${forget.stderr}`);
      await waitUntil(
        'minio-users to make lab-bob again',
        async () => (await kubectl(['logs', '-n', name, maker])).stdout.includes('MinIO user lab-bob made again: MinIO had lost it'),
        90_000,
        2000,
      );
      assert.match(await inLab(name, lab, LIST_BUCKETS), /^\d+$/, "bob's keys work again");
    }

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
    "--target im: each user's JupyterLab opens with its token, computes on Dask over mutual TLS, uses MinIO with its own keys (made again when MinIO loses them); no certificate, no Dask; resized to 2 workers, then deleted",
    { timeout: 1_500_000 },
    () => journey('im', 2),
  );
  it('--target dispatcher: the same journey through the dispatcher (resized to 2 workers, then deleted)', { timeout: 1_500_000 }, () =>
    journey('dispatcher', 2),
  );
});
