/**
 * The `capacity` section of a site profile: declared nodes for offline sizing.
 * Stand-in with exactly the shape main/capacity/ publishes; replaced by its
 * `capacitySchema` as soon as that lands, so there is one definition.
 */
import { z } from 'zod';

// Kubernetes quantity grammar (resource.Quantity): a decimal number with an SI, binary or exponent suffix.
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;

const quantity = z
  .union([z.number().nonnegative(), z.string().regex(QUANTITY, 'must be a Kubernetes quantity such as 8, 500m, 16Gi')])
  .describe('A Kubernetes quantity (e.g. 8, 500m, 16Gi)');

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const nodeGroup = z.strictObject({
  name: z.string().min(1).describe('Name of the node (or group of identical nodes)'),
  count: z.number().int().positive().describe('How many identical nodes of this shape'),
  cpu: quantity.describe('Allocatable CPU per node'),
  memory: quantity.describe('Allocatable memory per node'),
  pods: z.number().int().positive().optional().describe('Maximum pods per node (Kubernetes default 110)'),
  ephemeralStorage: quantity.optional().describe('Allocatable ephemeral storage per node'),
  labels: z.record(z.string(), z.string()).optional(),
  taints: z.array(taint).optional(),
  unschedulable: z.boolean().optional().describe('Cordoned nodes take no new pods'),
});

export const capacitySchema = z
  .strictObject({ nodes: z.array(nodeGroup).min(1) })
  .describe('Declared worker capacity, used to predict fit when no cluster is reachable');
