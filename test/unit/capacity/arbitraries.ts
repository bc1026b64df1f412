/** fast-check generators of node groups and pods, shared by the unit properties and the test-bed comparison. */
import fc from 'fast-check';
import type { V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import type { PodToPlace } from '../../../main/capacity/fit';
import type { NodeGroup } from '../../../main/capacity/snapshot-profile';

export const TAINTS = [
  { key: 'dedicated', value: 'dask', effect: 'NoSchedule' },
  { key: 'gpu', value: 'true', effect: 'NoExecute' },
  { key: 'spot', value: 'yes', effect: 'PreferNoSchedule' },
] as const;
export const LABELS = [{ disk: 'ssd' }, { disk: 'hdd' }, { tier: 'big' }] as const;

export interface RandomNode {
  cpuMilli: number;
  memoryMi: number;
  pods: number;
  taint: number | null;
  label: number | null;
  cordoned: boolean;
}

export interface RandomPod {
  cpuMilli: number;
  memoryMi: number;
  limitsOnly: boolean;
  selector: number | null;
  tolerate: number | null;
}

/** `null` most of the time, an index into a list of `size` otherwise. */
function sometimes(size: number, percent: number): fc.Arbitrary<number | null> {
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 100 - percent },
    { arbitrary: fc.integer({ min: 0, max: size - 1 }), weight: percent },
  );
}

export const randomNode = fc.record({
  cpuMilli: fc.integer({ min: 1, max: 16 }).map((n) => n * 500),
  memoryMi: fc.integer({ min: 1, max: 32 }).map((n) => n * 1024),
  pods: fc.integer({ min: 2, max: 20 }),
  taint: sometimes(TAINTS.length, 25),
  label: sometimes(LABELS.length, 40),
  cordoned: fc.integer({ min: 0, max: 99 }).map((n) => n < 15),
});

export const randomPod = fc.record({
  cpuMilli: fc.integer({ min: 0, max: 12 }).map((n) => n * 250),
  memoryMi: fc.integer({ min: 0, max: 16 }).map((n) => n * 512),
  limitsOnly: fc.boolean(),
  selector: sometimes(LABELS.length, 20),
  tolerate: sometimes(TAINTS.length, 30),
});

export function nodeGroups(nodes: readonly RandomNode[]): NodeGroup[] {
  return nodes.map((node, index) => {
    const group: NodeGroup = { name: `n${index}`, cpu: `${node.cpuMilli}m`, memory: `${node.memoryMi}Mi`, pods: node.pods };
    if (node.taint !== null) group.taints = [{ ...(TAINTS[node.taint] as (typeof TAINTS)[number]) }];
    if (node.label !== null) group.labels = { ...(LABELS[node.label] as Record<string, string>) };
    if (node.cordoned) group.unschedulable = true;
    return group;
  });
}

export function podSpecOf(pod: RandomPod): V1PodSpec {
  const amounts: Record<string, string> = {};
  if (pod.cpuMilli > 0) amounts.cpu = `${pod.cpuMilli}m`;
  if (pod.memoryMi > 0) amounts.memory = `${pod.memoryMi}Mi`;
  const resources = pod.limitsOnly ? { limits: amounts } : { requests: amounts };
  const spec: V1PodSpec = { containers: [{ name: 'main', image: 'busybox', resources }] };
  if (pod.selector !== null) spec.nodeSelector = { ...(LABELS[pod.selector] as Record<string, string>) };
  if (pod.tolerate !== null) {
    const taint = TAINTS[pod.tolerate] as (typeof TAINTS)[number];
    const toleration: V1Toleration = { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
    spec.tolerations = [toleration];
  }
  return spec;
}

export function podsToPlace(pods: readonly RandomPod[]): PodToPlace[] {
  return pods.map((pod, index) => ({ component: 'random', name: `p${index}`, spec: podSpecOf(pod) }));
}
