/**
 * The analysis facility in its IM shape, deployed with `afp --target im`
 * through the bed's real IM onto the real container nodes: each user's
 * JupyterLab opens at IM's link with its own token (and not without it),
 * computes on Dask over mutual TLS with the worker IM created, reads and
 * writes MinIO; a client without the environment's certificate is refused.
 * As in im-minio.test.ts the namespace is prepared as a site admin would
 * (PodNodeSelector and PodTolerationRestriction annotations) since IM sets
 * no tolerations, and the bed's registry mirror serves IM's forced pulls.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { kubectl, kubectlJson, kubectlOk, waitUntil } from '../../support/testbed';
import { afp, imWorld, type ImWorld } from '../environments-im/support';
import { uniqueName } from '../targets-im/support';
import { realNodes, skipWithoutRealNodes, type RealNodesEnv } from './real-node';

let world: ImWorld;

before(async () => {
  if (skipWithoutRealNodes() === false) world = await imWorld();
});
after(async () => {
  await world?.close();
});

async function realNodeNamespace(name: string, real: RealNodesEnv): Promise<void> {
  const tolerations = real.taint === undefined ? [] : [{ key: real.taint.key, operator: 'Exists', effect: real.taint.effect }];
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        annotations: {
          'scheduler.alpha.kubernetes.io/node-selector': real.label,
          'scheduler.alpha.kubernetes.io/defaultTolerations': JSON.stringify(tolerations),
        },
      },
    }),
  });
}

interface Pod {
  metadata: { name: string };
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

// A map over the worker IM created. (A dask.array graph fails here: the bed's dask-notebook image has cytoolz and
// its dask image does not, so the scheduler cannot unpickle the client's graph; test/testbed/images/README.md.)
const COMPUTE = `
from dask.distributed import Client
client = Client(timeout=60)
client.wait_for_workers(1, timeout=120)
print(client.scheduler.address, len(client.scheduler_info()["workers"]), sum(client.gather(client.map(lambda x: x * x, range(100)))))
`;

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

describe('real container nodes: the analysis facility through IM', { skip: skipWithoutRealNodes() }, () => {
  it(
    "each user's JupyterLab opens with its token, computes on Dask over mutual TLS, uses MinIO; no certificate, no Dask",
    { timeout: 600_000 },
    async () => {
      const real = realNodes();
      const name = uniqueName('real-af');
      const { dir, profileFile } = world;
      await realNodeNamespace(name, real);
      try {
        const deploy = await afp(
          [
            'deploy',
            'analysis-facility',
            '--profile',
            profileFile,
            '--target',
            'im',
            '--name',
            name,
            '--set',
            'hubUsers=bob',
            '--set',
            'userCpu=250m',
            '--set',
            'userMemory=1Gi',
            '--set',
            'userStorage=1Gi',
            '--set',
            'workers=1',
            '--set',
            'workerCpu=250m',
            '--set',
            'workerMemory=1Gi',
            '--set',
            'storage=1Gi',
            '--wait',
            '--timeout',
            '400s',
          ],
          dir,
        );
        assert.equal(deploy.code, 0, `${deploy.stdout}${deploy.stderr}`);
        assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(5/5 containers configured\\)\\.`));

        const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name])).items;
        for (const pod of pods) assert.ok(real.names.includes(pod.spec.nodeName ?? ''), `${pod.metadata.name} on a real node`);
        const podOf = (node: string): Pod => {
          const pod = pods.find((p) => p.metadata.name.startsWith(`${node}-`));
          assert.ok(pod !== undefined, `a pod for ${node}: ${pods.map((p) => p.metadata.name).join(', ')}`);
          return pod;
        };
        const token = (node: string): string =>
          podOf(node).spec.containers[0]?.env?.find((entry) => entry.name === 'JUPYTER_TOKEN')?.value ?? '';

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

        const lab = podOf('lab-bob').metadata.name;
        const computed = await inLab(name, lab, COMPUTE);
        assert.match(computed, /^tls:\/\/scheduler-[0-9a-f]{8}:8786 1 328350$/, `computed on Dask over TLS with IM's worker: ${computed}`);
        // The scheduler ends the handshake: with TLS 1.3's alert, or by closing the connection before it is read.
        assert.match(
          await inLab(name, lab, HANDSHAKES),
          /^refused: (TLSV13_ALERT_CERTIFICATE_REQUIRED|EOF occurred in violation of protocol \(_ssl\.c:\d+\)) \| accepted$/,
          'the scheduler refuses a client without a certificate of the environment, and accepts the JupyterLab with one',
        );
        assert.equal(await inLab(name, lab, STORAGE), 'sigma = 42 pb', 'MinIO read and write from the JupyterLab');

        const deleted = await afp(['delete', name, '--profile', profileFile, '--wait', '--timeout', '120s'], dir);
        assert.equal(deleted.code, 0, deleted.stderr);
      } finally {
        await afp(['delete', name, '--profile', profileFile], dir).catch(() => undefined);
        await kubectl(['delete', 'namespace', name, '--wait=false']);
      }
    },
  );
});
