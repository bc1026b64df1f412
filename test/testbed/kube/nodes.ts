/**
 * Simulated nodes shaped like the Naples analysis facility (one 32 CPU / 64 GiB
 * control-plane node that also runs workloads, as with RKE, and five 8 CPU /
 * 16 GiB workers), plus the knobs capacity tests turn: add, remove, cordon,
 * taints, labels, and a reset to the starting shape.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from './client';
import { KWOK_NODE_ANNOTATION } from './kwok';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeShape {
  name: string;
  cpu: string;
  memory: string;
  pods?: number;
  ephemeralStorage?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export const NAPLES_NODES: readonly NodeShape[] = [
  { name: 'af-master', cpu: '32', memory: '64Gi', labels: { 'node-role.kubernetes.io/control-plane': '' } },
  ...[1, 2, 3, 4, 5].map((i) => ({ name: `af-worker-${i}`, cpu: '8', memory: '16Gi' })),
];

/** The label every real container node of the bed carries (node/kubelet.ts); resetNodes leaves those nodes alone. */
export const REAL_NODE_LABEL = 'afp.dev/node';

/** Taints that Kubernetes' own controllers own; our helpers leave them alone. */
const SYSTEM_TAINT_PREFIX = 'node.kubernetes.io/';

interface NodeObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { conditions?: { type: string; status: string }[] };
}

export class NodeHelpers {
  private nextAddress = 10;

  constructor(private readonly kube: KubeClient) {}

  /** Creates a kwok node with the given shape and waits until it is Ready and schedulable. */
  async addNode(shape: NodeShape): Promise<void> {
    await this.createNode(shape);
    await this.waitReady([shape.name]);
  }

  /** Creates the node (if absent) without waiting for kwok to make it Ready. */
  async createNode(shape: NodeShape): Promise<void> {
    await this.kube.ensure('/api/v1/nodes', this.nodeObject(shape));
  }

  async removeNode(name: string): Promise<void> {
    await this.kube.remove(`/api/v1/nodes/${name}`);
    for (let i = 0; i < 200 && (await this.kube.find(`/api/v1/nodes/${name}`)) !== undefined; i++) await sleep(50);
  }

  async cordon(name: string): Promise<void> {
    await this.kube.patch(`/api/v1/nodes/${name}`, { spec: { unschedulable: true } });
  }

  async uncordon(name: string): Promise<void> {
    await this.kube.patch(`/api/v1/nodes/${name}`, { spec: { unschedulable: null } });
  }

  /** Replaces the node's own taints (those Kubernetes manages, node.kubernetes.io/*, stay). */
  async setTaints(name: string, taints: Taint[]): Promise<void> {
    const node = await this.kube.get<NodeObject>(`/api/v1/nodes/${name}`);
    const system = (node.spec?.taints ?? []).filter((taint) => taint.key.startsWith(SYSTEM_TAINT_PREFIX));
    await this.kube.patch(`/api/v1/nodes/${name}`, { spec: { taints: [...system, ...taints] } });
  }

  /** Sets labels; a null value removes that label. */
  async setLabels(name: string, labels: Record<string, string | null>): Promise<void> {
    await this.kube.patch(`/api/v1/nodes/${name}`, { metadata: { labels } });
  }

  async listNodeNames(): Promise<string[]> {
    const list = await this.kube.get<{ items: NodeObject[] }>('/api/v1/nodes');
    return list.items.map((node) => node.metadata.name);
  }

  /** Back to the Naples shape: extra nodes removed, missing ones added, labels, taints and cordons as at start. */
  async resetNodes(): Promise<void> {
    const wanted = new Map(NAPLES_NODES.map((shape) => [shape.name, shape]));
    const list = await this.kube.get<{ items: NodeObject[] }>('/api/v1/nodes');
    const present = new Set<string>();
    for (const node of list.items) {
      const shape = wanted.get(node.metadata.name);
      if (node.metadata.labels?.[REAL_NODE_LABEL] !== undefined) continue;
      if (shape === undefined) {
        await this.removeNode(node.metadata.name);
        continue;
      }
      present.add(shape.name);
      const labels: Record<string, string | null> = { ...this.labelsFor(shape) };
      for (const key of Object.keys(node.metadata.labels ?? {})) if (!(key in labels)) labels[key] = null;
      const system = (node.spec?.taints ?? []).filter(
        (taint) => taint.key.startsWith(SYSTEM_TAINT_PREFIX) && taint.key !== 'node.kubernetes.io/unschedulable',
      );
      await this.kube.patch(`/api/v1/nodes/${shape.name}`, { metadata: { labels }, spec: { taints: system, unschedulable: null } });
    }
    for (const shape of NAPLES_NODES) {
      if (!present.has(shape.name)) await this.createNode(shape);
    }
    await this.waitReady(NAPLES_NODES.map((shape) => shape.name));
  }

  /** Ready and free of the not-ready taint that node admission puts on new nodes. */
  async waitReady(names: string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let waiting = names;
    while (waiting.length > 0) {
      const list = await this.kube.get<{ items: NodeObject[] }>('/api/v1/nodes');
      const ready = new Set(list.items.filter(isReady).map((node) => node.metadata.name));
      waiting = names.filter((name) => !ready.has(name));
      if (waiting.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(`nodes not Ready after ${timeoutMs} ms: ${waiting.join(', ')} (see the kwok and kube-controller-manager logs)`);
      await sleep(100);
    }
  }

  private labelsFor(shape: NodeShape): Record<string, string> {
    return {
      'kubernetes.io/hostname': shape.name,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      type: 'kwok',
      ...shape.labels,
    };
  }

  private nodeObject(shape: NodeShape): object {
    const resources = {
      cpu: shape.cpu,
      memory: shape.memory,
      pods: String(shape.pods ?? 110),
      'ephemeral-storage': shape.ephemeralStorage ?? '100Gi',
    };
    const address = `10.0.1.${this.nextAddress++ % 250}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: shape.name,
        labels: this.labelsFor(shape),
        annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: { taints: shape.taints ?? [], unschedulable: shape.unschedulable === true ? true : undefined },
      status: {
        allocatable: resources,
        capacity: resources,
        addresses: [
          { type: 'InternalIP', address },
          { type: 'Hostname', address: shape.name },
        ],
      },
    };
  }
}

function isReady(node: NodeObject): boolean {
  const ready = node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') === true;
  const notReadyTaint = (node.spec?.taints ?? []).some((taint) => taint.key === 'node.kubernetes.io/not-ready');
  return ready && !notReadyTaint;
}
