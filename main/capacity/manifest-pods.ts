/**
 * Pod demands read from plain Kubernetes manifests (what `afp export
 * --format kube` writes, or any Deployment/StatefulSet/Pod YAML), so
 * `afp fit` can size manifests as well as templates.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { V1PodSpec } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { AfpError } from '../errors';
import type { PlanPod } from './plan-pods';

const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function replicasOf(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** The pod demands of one manifest object, or undefined for objects that make no pods. */
export function planPodOf(object: unknown): PlanPod | undefined {
  const doc = record(object);
  const kind = doc?.kind;
  const metadata = record(doc?.metadata);
  const spec = record(doc?.spec);
  if (typeof kind !== 'string' || !spec) return undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : kind.toLowerCase();
  const component = record(metadata?.labels)?.['app.kubernetes.io/component'];
  const owner = typeof component === 'string' ? component : name;
  if (kind === 'Pod') return { component: owner, name, replicas: 1, spec: spec as unknown as V1PodSpec };
  const template = record(record(spec.template)?.spec);
  if (!template) return undefined;
  if (CONTROLLERS.has(kind))
    return { component: owner, name, replicas: replicasOf(spec.replicas, 1), spec: template as unknown as V1PodSpec };
  if (kind === 'Job') return { component: owner, name, replicas: replicasOf(spec.parallelism, 1), spec: template as unknown as V1PodSpec };
  return undefined;
}

async function yamlFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target, { recursive: true });
  return entries
    .filter((entry) => /\.ya?ml$/i.test(entry))
    .sort()
    .map((entry) => path.join(target, entry));
}

/** Every workload in a YAML file, or in the YAML files under a folder, in file order. */
export async function planPodsFromManifests(target: string): Promise<PlanPod[]> {
  const pods: PlanPod[] = [];
  for (const file of await yamlFiles(target)) {
    const documents = parseAllDocuments(await readFile(file, 'utf8'));
    for (const document of Array.isArray(documents) ? documents : [documents]) {
      const problem = document.errors[0];
      if (problem) {
        throw new AfpError('invalid_input', `not valid YAML: ${problem.message.split('\n')[0] ?? ''}`, {
          file,
          line: problem.linePos?.[0].line,
        });
      }
      const pod = planPodOf(document.toJS());
      if (pod) pods.push(pod);
    }
  }
  return pods;
}

/** True when the file or folder holds Kubernetes objects rather than an afp template. */
export async function looksLikeManifests(target: string): Promise<boolean> {
  for (const file of await yamlFiles(target)) {
    for (const document of parseAllDocuments(await readFile(file, 'utf8'))) {
      const object = record(document.toJS());
      if (object?.kind === 'Template' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('afp.dev/')) return false;
    }
  }
  return true;
}
