/** Small builders for pods, nodes and the Naples site shape used across the capacity tests. */
import type { V1Container, V1Node, V1Pod, V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import type { PodToPlace } from '../../../main/capacity/fit';
import { snapshotFromProfile, type CapacitySection } from '../../../main/capacity/snapshot-profile';
import type { ClusterSnapshot } from '../../../main/capacity/snapshot';

export function container(
  name: string,
  requests?: Record<string, string>,
  limits?: Record<string, string>,
  extra: Partial<V1Container> = {},
): V1Container {
  const resources: V1Container['resources'] = {};
  if (requests) resources.requests = requests;
  if (limits) resources.limits = limits;
  return { name, image: 'busybox', resources, ...extra };
}

export function podSpec(cpu: string, memory: string, extra: Partial<V1PodSpec> = {}): V1PodSpec {
  return { containers: [container('main', { cpu, memory })], ...extra };
}

export function pod(name: string, cpu: string, memory: string, extra: Partial<V1PodSpec> = {}, spreadGroup?: string): PodToPlace {
  const out: PodToPlace = { component: name.replace(/-\d+$/, ''), name, spec: podSpec(cpu, memory, extra) };
  if (spreadGroup !== undefined) out.spreadGroup = spreadGroup;
  return out;
}

export function replicas(name: string, count: number, cpu: string, memory: string, extra: Partial<V1PodSpec> = {}): PodToPlace[] {
  return Array.from({ length: count }, (_, index) => ({ ...pod(`${name}-${index}`, cpu, memory, extra, name), workload: name }));
}

export const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
export const tolerateControlPlane: V1Toleration[] = [{ key: CONTROL_PLANE, operator: 'Exists', effect: 'NoSchedule' }];

/** The Naples analysis facility: one 32 vCPU / 64 GiB control-plane node (also a worker) and five 8 vCPU / 16 GiB workers. */
export function naplesCapacity(options: { taintMaster?: boolean } = {}): CapacitySection {
  return {
    nodes: [
      {
        name: 'master',
        cpu: '32',
        memory: '64Gi',
        labels: { [CONTROL_PLANE]: '' },
        taints: options.taintMaster ? [{ key: CONTROL_PLANE, effect: 'NoSchedule' }] : [],
      },
      { name: 'worker', count: 5, cpu: '8', memory: '16Gi', pods: 110 },
    ],
  };
}

export function naples(options: { taintMaster?: boolean } = {}): ClusterSnapshot {
  return snapshotFromProfile(naplesCapacity(options));
}

/** An analysis-facility-like plan: JupyterHub (hub, proxy, users), Dask (scheduler, workers), MinIO. */
export function analysisFacility(options: { workers: number; workerCpu: string; workerMemory: string; users?: number }): PodToPlace[] {
  return [
    pod('hub', '500m', '2Gi', {}, 'hub'),
    pod('proxy', '500m', '256Mi', {}, 'proxy'),
    ...replicas('jupyter', options.users ?? 2, '1', '4Gi'),
    pod('dask-scheduler', '1', '2Gi', {}, 'dask-scheduler'),
    ...replicas('dask-worker', options.workers, options.workerCpu, options.workerMemory),
    pod('minio', '1', '4Gi', {}, 'minio'),
  ];
}

export function apiNode(
  name: string,
  allocatable: Record<string, string>,
  extra: { labels?: Record<string, string>; unschedulable?: boolean; ready?: boolean } = {},
): V1Node {
  return {
    metadata: { name, labels: extra.labels ?? {} },
    spec: { unschedulable: extra.unschedulable ?? false },
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }] },
  };
}

export function apiPod(name: string, nodeName: string | undefined, spec: V1PodSpec, phase = 'Running'): V1Pod {
  return { metadata: { name, namespace: 'default' }, spec: nodeName === undefined ? spec : { ...spec, nodeName }, status: { phase } };
}
