/**
 * A large synthetic cluster for the capacity benchmarks (bench/fit.ts,
 * bench/live-capacity.ts): nodes and pods shaped as the API returns them,
 * the same every run for the same seed.
 */
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';

// Sizes that leave a typical node about three-quarters requested, as a busy but healthy cluster.
const CPUS = ['10m', '50m', '100m', '100m', '200m', '250m', '250m', '500m', '500m', '1'];
const MEMORIES = ['64Mi', '128Mi', '256Mi', '256Mi', '512Mi', '512Mi', '1Gi', '1Gi', '2Gi', '4Gi'];

export function syntheticNode(index: number, next: () => number): V1Node {
  const big = next() < 0.1;
  const allocatable = { cpu: big ? '63500m' : '15800m', memory: big ? '257000Mi' : '62000Mi', pods: '110', 'ephemeral-storage': '95Gi' };
  return {
    metadata: {
      name: `node-${String(index).padStart(5, '0')}`,
      labels: { 'kubernetes.io/hostname': `node-${index}`, 'topology.kubernetes.io/zone': `zone-${index % 3}` },
    },
    spec: index % 97 === 0 ? { unschedulable: true } : {},
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function syntheticContainer(name: string, next: () => number): V1Container {
  const cpu = CPUS[Math.floor(next() * CPUS.length)] as string;
  const memory = MEMORIES[Math.floor(next() * MEMORIES.length)] as string;
  const limitsOnly = next() < 0.1;
  return {
    name,
    image: 'registry.example/app:1',
    resources: limitsOnly ? { limits: { cpu, memory } } : { requests: { cpu, memory }, limits: { memory } },
  };
}

export function syntheticPod(index: number, next: () => number, nodes: number): V1Pod {
  const containers = [syntheticContainer('main', next)];
  if (next() < 0.3) containers.push(syntheticContainer('sidecar', next));
  const nodeName = next() < 0.995 ? `node-${String(Math.floor(next() * nodes)).padStart(5, '0')}` : undefined;
  const pod: V1Pod = {
    metadata: { name: `pod-${index}`, namespace: `ns-${index % 400}` },
    spec: { containers, ...(nodeName === undefined ? {} : { nodeName }) },
    status: { phase: next() < 0.99 ? 'Running' : 'Pending' },
  };
  if (pod.spec && next() < 0.2) pod.spec.initContainers = [syntheticContainer('init', next)];
  return pod;
}
