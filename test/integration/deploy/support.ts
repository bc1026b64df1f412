/**
 * What the deploy tests share: operations over a fresh inventory in a temp
 * folder, an environment name of their own (its namespace is deleted after the
 * test), kubeconfigs for other users, and the progress of one operation.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { builtinTemplatesDir } from '../../../main/catalogue/builtin';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { EnvironmentOperations, type ConnectTarget, type OperationHandle } from '../../../main/environments/operations';
import type { ProgressEvent } from '../../../main/targets/kinds/target';
import { Inventory } from '../../../main/inventory/inventory';
import { kubectl, testbedEnv } from '../../support/testbed';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface Bench {
  operations: EnvironmentOperations;
  inventory: Inventory;
  dir: string;
}

/** Operations on a temp inventory, templates = built-ins + fixtures; namespaces of `names` are deleted after the test. */
export function operationsFor(t: TestContext, names: string[], connect?: ConnectTarget): Bench {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-deploy-'));
  const inventory = Inventory.open(dir);
  const operations = new EnvironmentOperations({
    store: inventory,
    catalogue: () => loadCatalogue({ dirs: [builtinTemplatesDir(), FIXTURES] }),
    ...(connect === undefined ? {} : { connect }),
  });
  t.after(async () => {
    for (const op of operations.list()) operations.cancel(op.operationId);
    await operations.settle();
    await Promise.all(names.map((name) => kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found'])));
    rmSync(dir, { recursive: true, force: true });
  });
  return { operations, inventory, dir };
}

export function envName(t: TestContext, prefix: string): string {
  const base = `${prefix}-${t.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 28)
    .replace(/-+$/, '');
  return `${base}-${Math.random().toString(16).slice(2, 7)}`;
}

/** Collects the progress of `start`'s operation from its first event on. */
export async function run(
  operations: EnvironmentOperations,
  start: () => Promise<OperationHandle>,
): Promise<{ handle: OperationHandle; events: (ProgressEvent & { arrived: number })[] }> {
  const early: (ProgressEvent & { arrived: number; operationId: string })[] = [];
  const stop = operations.onEvent((event) => {
    if (event.type === 'progress') early.push({ ...event.progress, arrived: Date.now(), operationId: event.operationId });
  });
  const handle = await start();
  await handle.done;
  stop();
  return { handle, events: early.filter((e) => e.operationId === handle.operationId) };
}

/** A kubeconfig for the bed's API server (or `server`) with a token or an exec plugin instead of the admin certificate. */
export function kubeconfigWith(dir: string, name: string, user: Record<string, unknown>, server = testbedEnv().apiServerUrl): string {
  const admin = parseYaml(readFileSync(testbedEnv().adminKubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
  };
  const ca = admin.clusters[0]?.cluster['certificate-authority-data'] ?? '';
  const file = path.join(dir, `${name}.kubeconfig`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bed', cluster: { server, 'certificate-authority-data': ca } }],
      users: [{ name, user }],
      contexts: [{ name, context: { cluster: 'bed', user: name } }],
      'current-context': name,
    }),
    { mode: 0o600 },
  );
  return file;
}

/** The admin kubeconfig pointed at another server URL (a fault proxy of the test's own). */
export function adminKubeconfigVia(dir: string, server: string): string {
  const admin = parseYaml(readFileSync(testbedEnv().adminKubeconfig, 'utf8')) as { clusters: { cluster: Record<string, unknown> }[] };
  for (const entry of admin.clusters) entry.cluster.server = server;
  const file = path.join(dir, 'admin-via-proxy.kubeconfig');
  writeFileSync(file, stringify(admin), { mode: 0o600 });
  return file;
}
