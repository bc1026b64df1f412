/**
 * What the tracking tests share: an inventory in a temp folder, an
 * environment namespace on the test bed (labelled as our deploys label it),
 * workloads made with kubectl, and waiting for tracker batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { Inventory } from '../../../main/inventory/inventory';
import type { EnvironmentRecord, LinkRecord } from '../../../main/inventory/record';
import type { EnvironmentTracker, TrackerBatch } from '../../../main/tracking/tracker';
import { kubectl, kubectlOk, testbedEnv, waitUntil } from '../../support/testbed';

export const MANAGED = { 'app.kubernetes.io/managed-by': 'afp' };

export function tempInventory(t: TestContext): Inventory {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-tracking-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return Inventory.open(dir);
}

export function slug(t: TestContext, prefix: string): string {
  const base = `${prefix}-${t.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 30)
    .replace(/-+$/, '');
  return `${base}-${Math.random().toString(16).slice(2, 8)}`;
}

/** A labelled namespace with its default service account, deleted after the test. */
export async function environmentNamespace(t: TestContext, name: string): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: MANAGED } }),
  });
  t.after(async () => {
    await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
  });
  await waitUntil(
    `service account default in ${name}`,
    async () => (await kubectl(['get', 'serviceaccount', 'default', '-n', name])).code === 0,
    30_000,
  );
}

export function kubeRecordFor(
  name: string,
  patch: Partial<EnvironmentRecord> = {},
  kubeconfig = testbedEnv().adminKubeconfig,
): EnvironmentRecord {
  const now = new Date().toISOString();
  return {
    id: `id-${name}`,
    name,
    template: { name: 'dask', version: '1.0.0' },
    values: {},
    target: { kind: 'kube', kubeconfig, context: 'afp-testbed', server: testbedEnv().apiServerUrl, namespace: name },
    createdAt: now,
    updatedAt: now,
    status: { phase: 'Ready', since: now },
    objects: [],
    links: [],
    operations: [],
    ...patch,
  };
}

export interface WorkloadOptions {
  replicas?: number;
  port?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: object[];
  annotations?: Record<string, string>;
}

/** A Deployment of `name` (component label = name) and, with a port, its Service. */
export function workload(name: string, options: WorkloadOptions = {}): string {
  const labels = { ...MANAGED, 'app.kubernetes.io/component': name };
  const selector = { 'app.kubernetes.io/component': name };
  const objects: object[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels },
      spec: {
        replicas: options.replicas ?? 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, annotations: options.annotations ?? {} },
          spec: {
            containers: [
              {
                name: 'main',
                image: 'registry.example/app:1.0',
                ports: options.port === undefined ? [] : [{ name: 'http', containerPort: options.port }],
                resources: { requests: { cpu: '10m', memory: '16Mi' } },
              },
            ],
            ...(options.nodeSelector === undefined ? {} : { nodeSelector: options.nodeSelector }),
            ...(options.tolerations === undefined ? {} : { tolerations: options.tolerations }),
          },
        },
      },
    },
  ];
  if (options.port !== undefined) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels },
      spec: { selector, ports: [{ name: 'http', port: options.port, targetPort: 'http' }] },
    });
  }
  return objects.map((o) => JSON.stringify(o)).join('\n');
}

export function link(component: string, port: number, patch: Partial<LinkRecord> = {}): LinkRecord {
  return {
    id: `${component}-http`,
    title: component,
    component,
    service: component,
    port,
    path: '/',
    scheme: 'http',
    expose: 'cluster',
    ...patch,
  };
}

/** Resolves with the first batch matching `predicate`, or rejects after `timeoutMs` naming `what`. */
export function nextBatch(
  tracker: EnvironmentTracker,
  what: string,
  predicate: (batch: TrackerBatch) => boolean,
  timeoutMs = 15_000,
): Promise<TrackerBatch> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const stop = tracker.onBatch((batch) => {
      if (!predicate(batch)) return;
      clearTimeout(timer);
      stop();
      resolve(batch);
    });
  });
}

/** Waits until the tracker has observed `id` (not just read its stored status) and its view satisfies `check`. */
export async function untilView(
  tracker: EnvironmentTracker,
  id: string,
  what: string,
  check: (view: NonNullable<ReturnType<EnvironmentTracker['view']>>) => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  try {
    await waitUntil(
      what,
      () => {
        const view = tracker.view(id);
        return Promise.resolve(view !== undefined && tracker.isObserved(id) && check(view));
      },
      timeoutMs,
      25,
    );
  } catch (error) {
    // What the tracker showed instead: a timeout alone does not tell a slow verdict from a wrong one.
    const status = tracker.view(id)?.status;
    const shown = status === undefined ? 'no view' : `${status.phase} since ${status.since}: ${status.message ?? ''}`;
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; the tracker showed ${shown} (observed: ${String(tracker.isObserved(id))})`,
    );
  }
}
