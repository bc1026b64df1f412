/**
 * Which logs an environment has: its pods (read now from the namespace the
 * record names) with their containers, and which of them ran before, so a
 * crashed container's previous log can be asked for; and, for `afp logs`,
 * which pods and containers a component (or pod name) means.
 */
import type { LogSources } from '../contract/logs';
import { AfpError } from '../errors';
import { describeKubeError } from '../kube/api-errors';
import { KubeClient } from '../kube/client';
import type { EnvironmentRecord, TargetRef } from '../inventory/record';
import { traitsOf } from '../targets/kinds/traits';
import type { KubeConfigFor } from '../tracking/cluster-registry';
import { clusterOf } from '../targets/kinds/cluster-of';

const COMPONENT_LABEL = 'app.kubernetes.io/component';
const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

interface ContainerStatus {
  name: string;
  restartCount?: number;
  lastState?: { terminated?: object };
}
interface PodObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: { name: string }[]; initContainers?: { name: string }[] };
  status?: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

export type LogPod = LogSources['pods'][number] & { defaultContainer: string };

/** The record's kube target, or a plain refusal for IM and the dispatcher (whose log is IM's). */
export function kubeTarget(record: EnvironmentRecord): Extract<TargetRef, { kind: 'kube' }> {
  const target = clusterOf(record.target);
  if (target === undefined)
    throw new AfpError(
      'unsupported',
      `${record.name} runs through ${traitsOf(record.target.kind).title}: the app cannot read its containers' logs; IM's own log is on its page (afp logs ${record.name}).`,
    );
  return target;
}

export async function readLogSources(record: EnvironmentRecord, kubeConfigFor: KubeConfigFor): Promise<LogPod[]> {
  const target = kubeTarget(record);
  const client = new KubeClient(kubeConfigFor(target), { maxInFlight: 2 });
  try {
    const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods`;
    const list = await client.get<{ items: PodObject[] }>(path).catch((error: unknown) => {
      throw describeKubeError(error, { object: `the pods of ${target.namespace}`, server: target.server });
    });
    return list.items
      .map(podSources)
      .sort((a, b) => (a.component ?? '~').localeCompare(b.component ?? '~') || a.name.localeCompare(b.name));
  } finally {
    client.close();
  }
}

function podSources(pod: PodObject): LogPod {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const container = (name: string, init: boolean): LogPod['containers'][number] => {
    const status = statuses.find((s) => s.name === name);
    return { name, restarts: status?.restartCount ?? 0, hasPrevious: status?.lastState?.terminated !== undefined, init };
  };
  const containers = [
    ...pod.spec.containers.map((c) => container(c.name, false)),
    ...(pod.spec.initContainers ?? []).map((c) => container(c.name, true)),
  ];
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  const component = pod.metadata.labels?.[COMPONENT_LABEL];
  return {
    name: pod.metadata.name,
    component,
    phase: pod.status?.phase ?? 'Unknown',
    containers,
    defaultContainer: containers.some((c) => c.name === annotated) ? (annotated ?? '') : (pod.spec.containers[0]?.name ?? ''),
  };
}

/**
 * The pods and containers `afp logs <env> [which] [--container c]` means:
 * `which` is a component (every pod of it) or a pod's name; without it, the
 * environment's only pod. Anything else is refused with what there is.
 */
export function chooseLogs(pods: LogPod[], which: string | undefined, container: string | undefined): { pod: string; container: string }[] {
  const components = [...new Set(pods.map((p) => p.component).filter((c): c is string => c !== undefined))];
  const there = (): string =>
    pods.length === 0
      ? 'it has no pods now'
      : `components: ${components.join(', ') || '(none)'}; pods: ${pods.map((p) => p.name).join(', ')}`;
  let chosen: LogPod[];
  if (which === undefined) {
    if (pods.length !== 1) throw new AfpError('invalid_input', `Name a component or pod (${there()}).`, { field: 'component' });
    chosen = pods;
  } else {
    chosen = pods.filter((p) => p.component === which);
    if (chosen.length === 0) chosen = pods.filter((p) => p.name === which);
    if (chosen.length === 0) throw new AfpError('not_found', `No component or pod "${which}" (${there()}).`, { field: 'component' });
  }
  return chosen.map((pod) => {
    if (container === undefined) return { pod: pod.name, container: pod.defaultContainer };
    if (!pod.containers.some((c) => c.name === container))
      throw new AfpError(
        'not_found',
        `Pod ${pod.name} has no container "${container}" (it has ${pod.containers.map((c) => c.name).join(', ')}).`,
        {
          field: 'container',
        },
      );
    return { pod: pod.name, container };
  });
}
