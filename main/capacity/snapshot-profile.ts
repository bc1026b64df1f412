/**
 * The `capacity` section of a site profile, and the snapshot it declares:
 * node groups of identical, empty nodes, for sizing with no cluster at hand.
 *
 *   capacity:
 *     nodes:
 *       - { name: worker, count: 5, cpu: "8", memory: 16Gi, pods: 110 }
 *       - { name: master, count: 1, cpu: "32", memory: 64Gi, labels: { node-role.kubernetes.io/control-plane: "" } }
 *     headroom: { cpu: 500m, memory: 1Gi, pods: 4 }
 *
 * Declared nodes are empty, but a real node never is: its DaemonSet pods (CNI,
 * kube-proxy, log and metrics agents) take their share on every node. The
 * headroom stands for them, so a plan that fills declared nodes to 100% does not
 * "fit" where those pods already sit. On a live cluster they are measured instead.
 */
import { z } from 'zod';
import { AfpError } from '../errors';
import { isQuantity, resourceAmount } from '../kube/quantity';
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS, type ResourceList } from './resources';
import { snapshotOf, type ClusterSnapshot, type NodeTaint, type SnapshotNode } from './snapshot';

/** The kubelet's default pod limit. */
export const DEFAULT_MAX_PODS = 110;

const quantity = z
  .union([z.number().nonnegative(), z.string()])
  .refine((value) => isQuantity(value), { error: 'must be a Kubernetes quantity such as 8, 500m, 16Gi' })
  .describe('A Kubernetes quantity (e.g. 8, 500m, 16Gi)');

const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const headroomSchema = z
  .strictObject({
    cpu: quantity.optional().describe('CPU requested on every node by what it already runs'),
    memory: quantity.optional().describe('Memory requested on every node by what it already runs'),
    pods: z.number().int().nonnegative().optional().describe('Pods every node already runs (DaemonSet pods)'),
  })
  .describe("What every node already runs (DaemonSet pods: CNI, kube-proxy, agents), kept free of this app's pods");

const nodeGroupSchema = z.strictObject({
  name: z.string().min(1).describe('Name of the node group; its nodes are named <name>-1, <name>-2… when count > 1'),
  count: z.number().int().positive().default(1).describe('How many identical nodes of this shape (default 1)'),
  cpu: quantity.describe('Allocatable CPU per node'),
  memory: quantity.describe('Allocatable memory per node'),
  pods: z.number().int().positive().optional().describe(`Maximum pods per node (default ${DEFAULT_MAX_PODS})`),
  ephemeralStorage: quantity.optional().describe('Allocatable ephemeral storage per node'),
  extendedResources: z.record(z.string().min(1), quantity).optional().describe('Extended resources per node, e.g. { nvidia.com/gpu: 1 }'),
  labels: z.record(z.string(), z.string()).optional().describe('Node labels, matched by nodeSelector and node affinity'),
  taints: z.array(taintSchema).optional().describe('Node taints; pods must tolerate NoSchedule and NoExecute ones'),
  unschedulable: z.boolean().optional().describe('Cordoned nodes take no new pods'),
  headroom: headroomSchema.optional().describe("This group's headroom, instead of the section's"),
});

export const capacitySchema = z
  .strictObject({ nodes: z.array(nodeGroupSchema).min(1), headroom: headroomSchema.optional() })
  .describe('Declared worker capacity, used to predict fit when no cluster is reachable');

export type CapacitySection = z.input<typeof capacitySchema>;
export type NodeGroup = z.input<typeof nodeGroupSchema>;
type Headroom = z.output<typeof headroomSchema>;

/** The headroom as requests already on the node (pods: their count). */
function headroomRequests(headroom: Headroom | undefined): ResourceList {
  const requested: ResourceList = { [PODS]: headroom?.pods ?? 0 };
  if (headroom?.cpu !== undefined) requested[CPU] = resourceAmount(CPU, headroom.cpu);
  if (headroom?.memory !== undefined) requested[MEMORY] = resourceAmount(MEMORY, headroom.memory);
  return requested;
}

function allocatableOf(group: z.output<typeof nodeGroupSchema>): ResourceList {
  const allocatable: ResourceList = {
    [CPU]: resourceAmount(CPU, group.cpu),
    [MEMORY]: resourceAmount(MEMORY, group.memory),
    [PODS]: group.pods ?? DEFAULT_MAX_PODS,
  };
  if (group.ephemeralStorage !== undefined) allocatable[EPHEMERAL_STORAGE] = resourceAmount(EPHEMERAL_STORAGE, group.ephemeralStorage);
  for (const [name, amount] of Object.entries(group.extendedResources ?? {})) allocatable[name] = resourceAmount(name, amount);
  return allocatable;
}

/**
 * Empty nodes of the declared shapes. Each carries the labels a kubelet sets
 * itself (hostname, os) unless the profile sets them, so selectors behave as on a real node.
 */
export function snapshotFromProfile(capacity: CapacitySection): ClusterSnapshot {
  const result = capacitySchema.safeParse(capacity);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = ['capacity', ...(issue?.path ?? [])].join('.');
    throw new AfpError('invalid_profile', issue?.message ?? 'invalid capacity section', { field });
  }
  const parsed = result.data;
  const nodes: SnapshotNode[] = [];
  const seen = new Set<string>();
  for (const group of parsed.nodes) {
    const allocatable = allocatableOf(group);
    const everyNode = headroomRequests(group.headroom ?? parsed.headroom);
    for (let index = 1; index <= group.count; index += 1) {
      const name = group.count > 1 ? `${group.name}-${index}` : group.name;
      if (seen.has(name)) throw new AfpError('invalid_profile', `two declared nodes are both named "${name}"`, { field: 'capacity.nodes' });
      seen.add(name);
      nodes.push({
        name,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(group.labels ?? {}) },
        taints: (group.taints ?? []).map((taint): NodeTaint => ({ ...taint })),
        unschedulable: group.unschedulable ?? false,
        ready: true,
        allocatable: { ...allocatable },
        requested: { ...everyNode },
        nonZeroRequested: { cpu: everyNode[CPU] ?? 0, memory: everyNode[MEMORY] ?? 0 },
        everyNode: { ...everyNode },
      });
    }
  }
  return snapshotOf('profile', nodes);
}
