import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from '../../../main/kube/backoff';
import { projectIngress, projectNode, projectPod, projectService } from '../../../main/tracking/kube-objects';
import { resolveLinks, type LinkInputs } from '../../../main/tracking/links';
import { pickPod } from '../../../main/tracking/port-forward';
import type { LinkRecord } from '../../../main/inventory/record';
import type { KubeConfig } from '@kubernetes/client-node';

const hubLink: LinkRecord = {
  id: 'hub',
  title: 'JupyterHub',
  component: 'proxy',
  service: 'proxy-public',
  port: 80,
  path: '/hub/',
  scheme: 'http',
  expose: 'ingress',
};
const daskLink: LinkRecord = {
  id: 'dask',
  title: 'Dask dashboard',
  component: 'scheduler',
  service: 'dask-scheduler',
  port: 8787,
  path: '/status',
  scheme: 'http',
  expose: 'nodeport',
};
const minioLink: LinkRecord = {
  id: 'minio',
  title: 'MinIO console',
  component: 'minio',
  service: 'minio',
  port: 9001,
  path: '/',
  scheme: 'http',
  expose: 'cluster',
};

const service = (name: string, type: string, ports: object[], selector = { app: name }) =>
  projectService({ metadata: { uid: `svc-${name}`, name, namespace: 'ns', resourceVersion: '1' }, spec: { type, selector, ports } });

const readyPod = (name: string, labels: Record<string, string>, ports: object[] = []) =>
  projectPod({
    metadata: { uid: `pod-${name}`, name, namespace: 'ns', resourceVersion: '1', labels },
    spec: { containers: [{ name: 'main', ports }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });

function inputs(patch: Partial<LinkInputs>): LinkInputs {
  return {
    links: [hubLink, daskLink, minioLink],
    services: [],
    ingresses: [],
    pods: [],
    nodes: [],
    server: 'https://api.example:6443',
    forwards: new Map(),
    ...patch,
  };
}

describe('resolveLinks', () => {
  it('gives an Ingress link https when its host has TLS, a NodePort link a node address, and a cluster link a port-forward', () => {
    const views = resolveLinks(
      inputs({
        services: [
          service('proxy-public', 'ClusterIP', [{ name: 'http', port: 80, targetPort: 8000 }]),
          service('dask-scheduler', 'NodePort', [{ name: 'dashboard', port: 8787, targetPort: 8787, nodePort: 31787 }]),
          service('minio', 'ClusterIP', [{ name: 'console', port: 9001, targetPort: 'console' }]),
        ],
        ingresses: [
          projectIngress({
            metadata: { uid: 'ing', name: 'hub', namespace: 'ns', resourceVersion: '1' },
            spec: {
              tls: [{ hosts: ['hub.af.example'] }],
              rules: [
                {
                  host: 'hub.af.example',
                  http: { paths: [{ path: '/', backend: { service: { name: 'proxy-public', port: { name: 'http' } } } }] },
                },
              ],
            },
          }),
        ],
        nodes: [
          projectNode({
            metadata: { uid: 'n1', name: 'af-master', resourceVersion: '1' },
            spec: { unschedulable: true },
            status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], conditions: [{ type: 'Ready', status: 'True' }] },
          }),
          projectNode({
            metadata: { uid: 'n2', name: 'af-worker-1', resourceVersion: '1' },
            status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }], conditions: [{ type: 'Ready', status: 'True' }] },
          }),
        ],
        pods: [readyPod('proxy-1', { app: 'proxy-public' })],
        forwards: new Map([['minio', 'http://127.0.0.1:40123']]),
      }),
    );
    assert.deepEqual(
      views.map(({ id, via, url, ready }) => ({ id, via, url, ready })),
      [
        { id: 'hub', via: 'ingress', url: 'https://hub.af.example/hub/', ready: true },
        { id: 'dask', via: 'nodeport', url: 'http://10.0.0.2:31787/status', ready: false },
        { id: 'minio', via: 'port-forward', url: 'http://127.0.0.1:40123/', ready: false },
      ],
    );
  });

  it('leaves a port-forward link without URL until a forward is open', () => {
    const [view] = resolveLinks(
      inputs({ links: [minioLink], services: [service('minio', 'ClusterIP', [{ port: 9001, targetPort: 9001 }])] }),
    );
    assert.equal(view?.via, 'port-forward');
    assert.equal(view?.url, undefined);
  });
});

describe('pickPod (port-forward target)', () => {
  const kc = {} as KubeConfig;
  it('picks a Ready pod behind the Service and resolves a named target port', () => {
    const svc = service('minio', 'ClusterIP', [{ name: 'console', port: 9001, targetPort: 'console' }], { app: 'minio' });
    const pods = [
      readyPod('minio-0', { app: 'minio' }, [
        { name: 'api', containerPort: 9000 },
        { name: 'console', containerPort: 9091 },
      ]),
    ];
    assert.deepEqual(pickPod({ kc, namespace: 'ns', service: () => svc, pods: () => pods, port: 9001 }), { pod: 'minio-0', port: 9091 });
  });

  it('says plainly when no pod is Ready', () => {
    const svc = service('minio', 'ClusterIP', [{ port: 9001, targetPort: 9001 }]);
    assert.throws(
      () => pickPod({ kc, namespace: 'ns', service: () => svc, pods: () => [], port: 9001 }),
      /No Ready pod behind Service minio in ns yet/,
    );
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay, stays within [ceiling/2, ceiling] and never passes the cap', () => {
    const low = { initialMs: 250, maxMs: 10_000, random: () => 0 };
    const high = { ...low, random: () => 0.999999 };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoffDelay(n, low)),
      [125, 250, 500, 1000],
    );
    assert.deepEqual(
      [1, 2, 3].map((n) => backoffDelay(n, high)),
      [250, 500, 1000],
    );
    assert.equal(backoffDelay(50, high), 10_000);
    assert.equal(backoffDelay(50, low), 5000);
  });
});
