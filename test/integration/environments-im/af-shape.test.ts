/**
 * The analysis facility and Dask in their IM shape, deployed with `afp` through
 * the bed's real IM and through the dispatcher: IM accepts what we render and
 * builds it (a JupyterLab per named user, published, no hub; the scheduler
 * and MinIO inside the cluster, their addresses resolved by IM; certificates
 * as Secrets mounted by file). The pods here run on kwok's simulated nodes: nothing executes
 * in them, so this proves what IM creates, not that Dask or JupyterLab work
 * (test/integration/realnode/im-af.test.ts runs them on real nodes).
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { kubectlJson, waitUntil } from '../../support/testbed';
import { podsIn, uniqueName } from '../targets-im/support';
import { afp, imWorld, type ImWorld } from './support';

let world: ImWorld;

before(async () => {
  world = await imWorld();
});
after(async () => {
  await world.close();
});

interface Pod {
  metadata: { name: string };
  spec: {
    containers: { env?: { name: string; value?: string }[]; volumeMounts?: { name: string; mountPath: string }[] }[];
    volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
  };
  status: { hostIP?: string };
}
interface Service {
  metadata: { name: string };
  spec: { type: string; ports: { port: number; nodePort?: number }[] };
}

const SMALL = ['--set', 'workers=1', '--set', 'workerCpu=250m', '--set', 'workerMemory=512Mi'];

/** The Kubernetes objects IM made for a node of the TOSCA (IM names them <node>-<8 hex>). */
function madeFor<T extends { metadata: { name: string } }>(items: T[], node: string): T {
  const found = items.filter((item) => new RegExp(`^${node}-[0-9a-f]{8}(-|$)`).test(item.metadata.name));
  assert.ok(found.length >= 1, `IM made something for ${node}: ${items.map((item) => item.metadata.name).join(', ')}`);
  return found[0] as T;
}

function envOf(pod: Pod): Map<string, string> {
  return new Map((pod.spec.containers[0]?.env ?? []).map((entry) => [entry.name, entry.value ?? '']));
}

/** A file IM mounted from a Secret (base64 content in the TOSCA), as the container reads it. */
async function secretFile(namespace: string, pod: Pod, mountPath: string): Promise<string> {
  const mount = pod.spec.containers[0]?.volumeMounts?.find((entry) => entry.mountPath === mountPath);
  const volume = pod.spec.volumes?.find((entry) => entry.name === mount?.name);
  assert.ok(volume?.secret !== undefined, `${mountPath} comes from a Secret, not a ConfigMap (${JSON.stringify(volume)})`);
  const secret = await kubectlJson<{ data: Record<string, string> }>(['get', 'secret', '-n', namespace, volume.secret.secretName]);
  const values = Object.values(secret.data);
  assert.equal(values.length, 1, 'one key per Secret');
  return Buffer.from(values[0] ?? '', 'base64').toString('utf8');
}

describe('the IM shape through the real IM (simulated kwok pods)', { concurrency: true }, () => {
  it(
    'the analysis facility: a published JupyterLab per named user, no hub, the scheduler reached inside the cluster at tls://',
    { timeout: 300_000 },
    async () => {
      const name = uniqueName('af-im');
      const { dir, profileFile } = world;
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
            'hubUsers=bob group:physics',
            '--set',
            'userCpu=250m',
            '--set',
            'userMemory=512Mi',
            ...SMALL,
            '--wait',
            '--timeout',
            '180s',
          ],
          dir,
        );
        assert.equal(deploy.code, 0, `${deploy.stdout}${deploy.stderr}`);
        assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(6/6 containers configured\\)\\.`));

        const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name])).items;
        const services = (await kubectlJson<{ items: Service[] }>(['get', 'services', '-n', name])).items;
        assert.deepEqual(
          pods.map((pod) => pod.metadata.name.replace(/-[0-9a-f]{8}-.*$/, '')).sort(),
          ['lab-alice', 'lab-bob', 'minio', 'minio-users', 'scheduler', 'worker'],
          'the owner (alice) and bob each get a JupyterLab; the group is left out; no hub or proxy; a container makes their MinIO users',
        );
        const scheduler = madeFor(services, 'scheduler');
        assert.equal(scheduler.spec.type, 'ClusterIP');
        assert.deepEqual(
          scheduler.spec.ports.map((port) => port.port),
          [8786],
          'only the comm port, not the dashboard',
        );
        const schedulerPod = madeFor(pods, 'scheduler');
        const address = `tls://${scheduler.metadata.name}:8786`;
        for (const node of ['worker', 'lab-alice', 'lab-bob']) {
          const env = envOf(madeFor(pods, node));
          assert.equal(env.get('DASK_SCHEDULER_ADDRESS'), address, `${node} reaches the scheduler by its Service`);
          assert.equal(env.get('DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION'), 'True');
        }
        for (const node of ['lab-alice', 'lab-bob']) assert.equal(madeFor(services, node).spec.type, 'NodePort', `${node} is published`);
        const alice = envOf(madeFor(pods, 'lab-alice'));
        const bob = envOf(madeFor(pods, 'lab-bob'));
        assert.match(alice.get('JUPYTER_TOKEN') ?? '', /^[A-Za-z0-9]{32}$/);
        assert.notEqual(alice.get('JUPYTER_TOKEN'), bob.get('JUPYTER_TOKEN'), 'a token per user');
        const minio = madeFor(services, 'minio');
        assert.equal(minio.spec.type, 'ClusterIP', 'the console is not published through IM');
        assert.equal(alice.get('AWS_ENDPOINT_URL'), `http://${minio.metadata.name}:9000`);
        assert.equal(alice.get('AWS_ACCESS_KEY_ID'), 'lab-alice', "alice's own MinIO user, not root");
        assert.notEqual(alice.get('AWS_SECRET_ACCESS_KEY'), bob.get('AWS_SECRET_ACCESS_KEY'), 'a storage key per user');

        // The certificates: PEM files from Secrets, all signed by this environment's authority. Each container gets
        // its own image and files only (IM would merge a required container's artifacts into it: no dependency is written).
        const lab = madeFor(pods, 'lab-bob');
        const container = lab.spec.containers[0] as { image?: string; volumeMounts?: { mountPath: string }[] };
        assert.equal(container.image, 'ghcr.io/dask/dask-notebook:2025.11.0');
        assert.deepEqual(
          (container.volumeMounts ?? []).map((mount) => mount.mountPath).filter((path) => path.startsWith('/etc/dask')),
          ['/etc/dask/tls/ca.pem', '/etc/dask/tls/client.pem'],
          "bob's JupyterLab holds the client certificate, never the scheduler's key",
        );
        const ca = new X509Certificate(await secretFile(name, lab, '/etc/dask/tls/ca.pem'));
        const client = await secretFile(name, lab, '/etc/dask/tls/client.pem');
        assert.ok(new X509Certificate(client).verify(ca.publicKey), "bob's client certificate is signed by the environment's authority");
        assert.match(client, /-----BEGIN PRIVATE KEY-----/);
        const server = new X509Certificate(await secretFile(name, schedulerPod, '/etc/dask/tls/scheduler.pem'));
        assert.ok(server.verify(ca.publicKey));

        const status = await afp(['status', name, '--profile', profileFile, '--json'], dir);
        const seen = JSON.parse(status.stdout) as { status: { phase: string }; links: { id: string; url?: string }[] };
        assert.equal(seen.status.phase, 'Ready');
        const labService = madeFor(services, 'lab-bob');
        assert.equal(
          seen.links.find((link) => link.id === 'lab-bob')?.url,
          `http://${lab.status.hostIP}:${labService.spec.ports[0]?.nodePort}/lab`,
          "bob's JupyterLab at its published link",
        );
        assert.ok(!seen.links.some((link) => link.id === 'dask-dashboard'), 'no dashboard link');
        assert.ok(!seen.links.some((link) => (link.url ?? '').includes(alice.get('JUPYTER_TOKEN') ?? '-')), 'no token in a link');

        const deleted = await afp(['delete', name, '--profile', profileFile, '--wait', '--timeout', '90s'], dir);
        assert.equal(deleted.code, 0, deleted.stderr);
      } finally {
        await afp(['delete', name, '--profile', profileFile], dir).catch(() => undefined);
      }
    },
  );

  it('Dask through the dispatcher: the same TLS shape, workers configured, deleted', { timeout: 240_000 }, async () => {
    const name = uniqueName('dask-disp');
    const { dir, profileFile } = world;
    try {
      const deploy = await afp(
        ['deploy', 'dask', '--profile', profileFile, '--target', 'dispatcher', '--name', name, ...SMALL, '--wait', '--timeout', '150s'],
        dir,
      );
      assert.equal(deploy.code, 0, `${deploy.stdout}${deploy.stderr}`);
      assert.match(deploy.stdout, new RegExp(`^Environment ${name} is ready \\(2/2 containers configured\\)\\.`));
      const pods = (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', name])).items;
      const worker = madeFor(pods, 'worker');
      const container = worker.spec.containers[0] as { command?: string[]; args?: string[] };
      const command = [...(container.command ?? []), ...(container.args ?? [])];
      assert.ok(command.includes('--tls-cert=/etc/dask/tls/worker.pem'), command.join(' '));
      assert.match(envOf(worker).get('DASK_SCHEDULER_ADDRESS') ?? '', /^tls:\/\/scheduler-[0-9a-f]{8}:8786$/);
      const deleted = await afp(['delete', name, '--profile', profileFile, '--wait', '--timeout', '90s'], dir);
      assert.equal(deleted.code, 0, deleted.stderr);
      await waitUntil(`Dask's pods in ${name} to go`, async () => (await podsIn(name)).length === 0, 60_000, 500);
    } finally {
      await afp(['delete', name, '--profile', profileFile], dir).catch(() => undefined);
    }
  });
});
