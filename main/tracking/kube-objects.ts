/**
 * What the tracker keeps of each watched object: the few fields status, links
 * and the Environment page need. With 10,000 pods, keeping whole objects
 * would cost several times the memory.
 */
import type { RawObject } from '../kube/kube-list';

interface Meta {
  uid: string;
  resourceVersion: string;
  name: string;
  namespace: string;
  createdAt: string;
  deleting: boolean;
}

export interface ContainerProblem {
  container: string;
  /** e.g. CrashLoopBackOff, ImagePullBackOff, OOMKilled, Error */
  reason: string;
  message?: string;
}

export interface PodFacts extends Meta {
  component?: string;
  owner?: { kind: string; name: string };
  nodeName?: string;
  phase: string;
  ready: boolean;
  /** When the pod last became Ready (its Ready condition's transition), while it is. */
  readySince?: string;
  restarts: number;
  problems: ContainerProblem[];
  /** PodScheduled=False: the scheduler's own words. */
  unschedulable?: string;
  /** status.reason / message (Evicted, NodeLost, …). */
  reason?: string;
  message?: string;
  ports: { name?: string; containerPort: number }[];
  labels: Record<string, string>;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort: number | string;
  nodePort?: number;
}

export interface ServiceFacts extends Meta {
  type: string;
  selector: Record<string, string>;
  ports: ServicePort[];
}

export interface IngressPath {
  host: string;
  path: string;
  service: string;
  port: number | string;
}

export interface IngressFacts extends Meta {
  paths: IngressPath[];
  tlsHosts: string[];
}

export interface WorkloadFacts extends Meta {
  kind: 'Deployment' | 'StatefulSet';
  component?: string;
  desired: number;
  ready: number;
  available: number;
  updated: number;
  upToDate: boolean;
  /** Deployment Progressing=False (ProgressDeadlineExceeded) and the like. */
  stalled?: string;
}

export interface EventFacts extends Meta {
  type: string;
  reason: string;
  message: string;
  object: { kind: string; name: string; uid?: string };
  count: number;
  lastSeen: string;
}

export interface NamespaceFacts extends Meta {
  phase: string;
}

export interface NodeFacts extends Meta {
  unschedulable: boolean;
  ready: boolean;
  internalIP?: string;
  externalIP?: string;
}

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown, fallback = 0): number => (typeof value === 'number' ? value : fallback);
const strings = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

const COMPONENT_LABEL = 'app.kubernetes.io/component';

function meta(raw: RawObject): Meta {
  const m = obj(raw.metadata);
  return {
    uid: str(m.uid) ?? '',
    resourceVersion: str(m.resourceVersion) ?? '',
    name: str(m.name) ?? '',
    namespace: str(m.namespace) ?? '',
    createdAt: str(m.creationTimestamp) ?? '',
    deleting: m.deletionTimestamp !== undefined && m.deletionTimestamp !== null,
  };
}

function condition(status: Json, type: string): Json | undefined {
  return arr(status.conditions).find((c) => c.type === type);
}

export function projectPod(raw: RawObject): PodFacts {
  const spec = obj(raw.spec);
  const status = obj(raw.status);
  const labels = strings(obj(raw.metadata).labels);
  const owner = arr(obj(raw.metadata).ownerReferences).find((o) => o.controller === true);
  const problems: ContainerProblem[] = [];
  let restarts = 0;
  for (const cs of [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)]) {
    restarts += num(cs.restartCount);
    const state = obj(cs.state);
    const waiting = obj(state.waiting);
    const terminated = obj(state.terminated);
    const last = obj(obj(cs.lastState).terminated);
    const reason = str(waiting.reason) ?? (num(terminated.exitCode) !== 0 ? str(terminated.reason) : undefined);
    if (reason !== undefined && reason !== 'ContainerCreating' && reason !== 'PodInitializing') {
      const message =
        str(waiting.message) ??
        str(terminated.message) ??
        (str(last.reason) === undefined ? undefined : `last exit: ${str(last.reason)} (code ${num(last.exitCode)})`);
      problems.push({ container: str(cs.name) ?? '', reason, ...(message === undefined ? {} : { message }) });
    }
  }
  const scheduled = condition(status, 'PodScheduled');
  const pod: PodFacts = {
    ...meta(raw),
    phase: str(status.phase) ?? 'Unknown',
    ready: condition(status, 'Ready')?.status === 'True',
    restarts,
    problems,
    ports: arr(spec.containers).flatMap((c) =>
      arr(c.ports).map((p) => {
        const name = str(p.name);
        return { containerPort: num(p.containerPort), ...(name === undefined ? {} : { name }) };
      }),
    ),
    labels,
  };
  const ready = condition(status, 'Ready');
  const readySince = str(ready?.lastTransitionTime);
  if (ready?.status === 'True' && readySince !== undefined) pod.readySince = readySince;
  if (labels[COMPONENT_LABEL] !== undefined) pod.component = labels[COMPONENT_LABEL];
  if (owner !== undefined) pod.owner = { kind: str(owner.kind) ?? '', name: str(owner.name) ?? '' };
  const nodeName = str(spec.nodeName);
  if (nodeName !== undefined) pod.nodeName = nodeName;
  if (scheduled?.status === 'False') pod.unschedulable = str(scheduled.message) ?? str(scheduled.reason) ?? 'not scheduled';
  const statusReason = str(status.reason);
  if (statusReason !== undefined) pod.reason = statusReason;
  const statusMessage = str(status.message);
  if (statusMessage !== undefined) pod.message = statusMessage;
  return pod;
}

export function projectService(raw: RawObject): ServiceFacts {
  const spec = obj(raw.spec);
  return {
    ...meta(raw),
    type: str(spec.type) ?? 'ClusterIP',
    selector: strings(spec.selector),
    ports: arr(spec.ports).map((p) => {
      const port: ServicePort = {
        port: num(p.port),
        targetPort: typeof p.targetPort === 'string' || typeof p.targetPort === 'number' ? p.targetPort : num(p.port),
      };
      const name = str(p.name);
      if (name !== undefined) port.name = name;
      if (typeof p.nodePort === 'number') port.nodePort = p.nodePort;
      return port;
    }),
  };
}

export function projectIngress(raw: RawObject): IngressFacts {
  const spec = obj(raw.spec);
  const paths: IngressPath[] = [];
  for (const rule of arr(spec.rules)) {
    const host = str(rule.host) ?? '';
    for (const p of arr(obj(rule.http).paths)) {
      const service = obj(obj(p.backend).service);
      const port = obj(service.port);
      paths.push({
        host,
        path: str(p.path) ?? '/',
        service: str(service.name) ?? '',
        port: typeof port.number === 'number' ? port.number : (str(port.name) ?? ''),
      });
    }
  }
  return {
    ...meta(raw),
    paths,
    tlsHosts: arr(spec.tls).flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.filter((h): h is string => typeof h === 'string') : [])),
  };
}

export function projectWorkload(kind: 'Deployment' | 'StatefulSet'): (raw: RawObject) => WorkloadFacts {
  return (raw) => {
    const spec = obj(raw.spec);
    const status = obj(raw.status);
    const m = obj(raw.metadata);
    const desired = num(spec.replicas, 1);
    const progressing = condition(status, 'Progressing');
    const updated = num(status.updatedReplicas);
    const workload: WorkloadFacts = {
      ...meta(raw),
      kind,
      desired,
      ready: num(status.readyReplicas),
      available: kind === 'Deployment' ? num(status.availableReplicas) : num(status.availableReplicas, num(status.readyReplicas)),
      updated,
      upToDate: num(status.observedGeneration) >= num(m.generation) && updated >= desired,
    };
    const component = strings(m.labels)[COMPONENT_LABEL];
    if (component !== undefined) workload.component = component;
    if (progressing?.status === 'False') workload.stalled = str(progressing.message) ?? str(progressing.reason) ?? 'not progressing';
    return workload;
  };
}

export function projectEvent(raw: RawObject): EventFacts {
  const involved = obj(raw.involvedObject);
  const uid = str(involved.uid);
  const m = obj(raw.metadata);
  return {
    ...meta(raw),
    type: str(raw.type) ?? 'Normal',
    reason: str(raw.reason) ?? '',
    message: str(raw.message) ?? '',
    object: {
      kind: str(involved.kind) ?? '',
      name: str(involved.name) ?? '',
      ...(uid === undefined ? {} : { uid }),
    },
    count: num(raw.count, 1),
    lastSeen: str(raw.lastTimestamp) ?? str(raw.eventTime) ?? str(raw.firstTimestamp) ?? str(m.creationTimestamp) ?? '',
  };
}

export function projectNamespace(raw: RawObject): NamespaceFacts {
  return { ...meta(raw), phase: str(obj(raw.status).phase) ?? 'Active' };
}

export function projectNode(raw: RawObject): NodeFacts {
  const status = obj(raw.status);
  const addresses = arr(status.addresses);
  const address = (type: string): string | undefined => str(addresses.find((a) => a.type === type)?.address);
  const node: NodeFacts = {
    ...meta(raw),
    unschedulable: obj(raw.spec).unschedulable === true,
    ready: condition(status, 'Ready')?.status === 'True',
  };
  const internal = address('InternalIP');
  const external = address('ExternalIP');
  if (internal !== undefined) node.internalIP = internal;
  if (external !== undefined) node.externalIP = external;
  return node;
}
