/**
 * What keeps an environment to itself on a shared cluster: NetworkPolicies
 * (ingress only from the environment's own pods, and from the site's ingress
 * controller to ports published by Ingress) and a ResourceQuota with a
 * LimitRange holding it to what the plan asks for, plus a stated margin.
 */
import type { Component } from '../catalogue/schema/components';
import { quantitySize } from '../catalogue/quantity';
import { COMPONENT_LABEL, selectorLabels } from './identity';
import type { IngressController, KubeObject, LabelSelector, PlanEnvironment, PlanPod } from './types';

/** ingress-nginx as its Helm chart installs it, the most common controller. */
export const DEFAULT_INGRESS_CONTROLLER: IngressController = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
};

/** Percent added to every total of the quota, unless the template says otherwise. */
export const DEFAULT_QUOTA_MARGIN = 10;

export const PSA_LABELS = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' };

export function networkPolicies(
  components: readonly (Component & { name: string })[],
  environment: PlanEnvironment,
  labels: Record<string, string>,
  controller: IngressController,
): KubeObject[] {
  const metadata = (name: string): KubeObject['metadata'] => ({ name, namespace: environment.namespace, labels });
  const policy = (name: string, podSelector: LabelSelector, ingress: unknown[]): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(name),
    spec: { podSelector, policyTypes: ['Ingress'], ingress },
  });
  const ownPods = [{ podSelector: {} }];
  const guarded = components.filter((component) => (component.ports ?? []).some((port) => port.ownerOnly === true));
  // Selecting every pod makes all traffic in denied unless a policy admits it; this one admits the namespace's own pods,
  // to every pod but those with an ownerOnly port, which get a policy of their own naming the other ports.
  const everyPod: LabelSelector =
    guarded.length === 0 ? {} : { matchExpressions: [{ key: COMPONENT_LABEL, operator: 'NotIn', values: guarded.map((c) => c.name) }] };
  const objects = [policy('afp-same-namespace', everyPod, [{ from: ownPods }])];
  for (const component of components) {
    const ports = (expose: string): { protocol: string; port: number }[] =>
      (component.ports ?? [])
        .filter((port) => port.expose === expose)
        .map((port) => ({ protocol: port.protocol ?? 'TCP', port: port.port }));
    const selector = { matchLabels: selectorLabels(environment, component.name) };
    if (guarded.includes(component)) {
      // Port-forwards enter the pod's own network namespace, so no policy stands between the owner and an ownerOnly port.
      const open = (component.ports ?? [])
        .filter((port) => port.ownerOnly !== true)
        .map((port) => ({ protocol: port.protocol ?? 'TCP', port: port.port }));
      if (open.length > 0) objects.push(policy(`afp-same-namespace-${component.name}`, selector, [{ from: ownPods, ports: open }]));
    }
    const published = ports('ingress');
    if (published.length > 0) {
      objects.push(policy(`afp-ingress-${component.name}`, selector, [{ from: [{ ...controller }], ports: published }]));
    }
    // A NodePort is open to whoever reaches the node: that is what the template asked for.
    const nodePorts = ports('nodeport');
    if (nodePorts.length > 0) objects.push(policy(`afp-nodeport-${component.name}`, selector, [{ ports: nodePorts }]));
  }
  return objects;
}

interface Totals {
  cpu: number;
  memory: number;
  pods: number;
  claims: number;
  storage: number;
  maxCpu: number;
  maxMemory: number;
  maxClaim: number;
}

const DEFAULT_REQUEST = { cpu: 100, memory: 128 * 2 ** 20 };

/**
 * The quota is what the plan's pods request (users' servers counted at the
 * planned number of users), plus one surge pod per rolling Deployment's
 * update (Kubernetes' 25% maxSurge), plus `marginPercent` of the whole for a
 * pod still terminating while its replacement starts. Storage counts the
 * plan's claims and one home per planned user: more user names than that get
 * no volume, which is what the fit promised.
 */
export function quotaObjects(
  pods: readonly PlanPod[],
  components: readonly (Component & { name: string })[],
  claims: readonly KubeObject[],
  environment: PlanEnvironment,
  labels: Record<string, string>,
  marginPercent: number,
): KubeObject[] {
  const totals: Totals = { cpu: 0, memory: 0, pods: 0, claims: 0, storage: 0, maxCpu: 0, maxMemory: 0, maxClaim: 0 };
  const byName = new Map(components.map((component) => [component.name, component]));
  for (const pod of pods) {
    const component = byName.get(pod.component);
    const rolling =
      !pod.spawned && (component?.kind ?? 'Deployment') === 'Deployment' && (component?.strategy ?? 'RollingUpdate') === 'RollingUpdate';
    const count = pod.replicas + (rolling && pod.replicas > 0 ? Math.ceil(pod.replicas / 4) : 0);
    for (const container of pod.spec.containers) {
      const cpu = amount('cpu', container.resources, DEFAULT_REQUEST.cpu);
      const memory = amount('memory', container.resources, DEFAULT_REQUEST.memory);
      totals.cpu += cpu.request * count;
      totals.memory += memory.request * count;
      totals.maxCpu = Math.max(totals.maxCpu, cpu.request, cpu.limit);
      totals.maxMemory = Math.max(totals.maxMemory, memory.request, memory.limit);
    }
    totals.pods += count;
  }
  const claim = (size: string | number, times: number): void => {
    const bytes = quantitySize('storage', size);
    totals.claims += times;
    totals.storage += bytes * times;
    totals.maxClaim = Math.max(totals.maxClaim, bytes);
  };
  for (const object of claims) {
    const spec = object.spec as { resources?: { requests?: { storage?: string } } } | undefined;
    const size = spec?.resources?.requests?.storage;
    if (size !== undefined) claim(size, 1);
  }
  for (const component of components) {
    const replicas = component.replicas ?? 1;
    if (component.kind === 'StatefulSet') for (const volume of component.volumes ?? []) claim(volume.size, replicas);
    for (const spawned of component.spawns ?? []) if (spawned.storage !== undefined) claim(spawned.storage, spawned.replicas);
  }
  const grow = (value: number): number => Math.ceil(value * (1 + marginPercent / 100));
  const metadata = (name: string): KubeObject['metadata'] => ({ name, namespace: environment.namespace, labels });
  const maxCpu = Math.max(totals.maxCpu, DEFAULT_REQUEST.cpu);
  const maxMemory = Math.max(totals.maxMemory, DEFAULT_REQUEST.memory);
  const limitItems: Record<string, unknown>[] = [
    {
      type: 'Container',
      max: { cpu: `${maxCpu}m`, memory: mebibytes(maxMemory) },
      default: { cpu: `${maxCpu}m`, memory: mebibytes(maxMemory) },
      defaultRequest: { cpu: `${DEFAULT_REQUEST.cpu}m`, memory: mebibytes(DEFAULT_REQUEST.memory) },
    },
  ];
  if (totals.maxClaim > 0) limitItems.push({ type: 'PersistentVolumeClaim', max: { storage: mebibytes(totals.maxClaim) } });
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata('afp-quota'),
      spec: {
        hard: {
          pods: `${grow(totals.pods)}`,
          'requests.cpu': `${grow(totals.cpu)}m`,
          'requests.memory': mebibytes(grow(totals.memory)),
          persistentvolumeclaims: `${grow(totals.claims)}`,
          'requests.storage': mebibytes(grow(totals.storage)),
        },
      },
    },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: metadata('afp-limits'), spec: { limits: limitItems } },
  ];
}

/** A container's request and limit of one resource (millicores or bytes); Kubernetes takes the limit as request when only it is set. */
function amount(
  resource: 'cpu' | 'memory',
  resources: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } | undefined,
  fallback: number,
): { request: number; limit: number } {
  const kind = resource === 'cpu' ? 'cpu' : 'memory';
  const read = (value: unknown): number | undefined =>
    typeof value === 'string' || typeof value === 'number' ? quantitySize(kind, value) : undefined;
  const limit = read(resources?.limits?.[resource]);
  const request = read(resources?.requests?.[resource]) ?? limit ?? fallback;
  return { request, limit: limit ?? request };
}

/** Bytes as whole mebibytes, rounded up: readable in Review and never below what was planned. */
function mebibytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}
