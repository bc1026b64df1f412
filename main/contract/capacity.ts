import { z } from 'zod';
import { messageSchema } from './message';
import { planRequestSchema, valueSchema } from './plan';

/** Scheduler units: cpu in millicores, memory in bytes, pods as a count. */
const amountsSchema = z.object({ cpu: z.number(), memory: z.number(), pods: z.number() });

export const capacitySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cluster'), kubeconfig: z.string().max(4096).optional(), context: z.string().max(253).optional() }).strict(),
  z.object({ kind: z.literal('profile') }).strict(),
]);

export const fitRequestSchema = z.object({ plan: planRequestSchema, source: capacitySourceSchema }).strict();

export const fitViewSchema = z.discriminatedUnion('ok', [
  /** The values are not valid yet, or no capacity is known (no profile section, cluster unreachable). */
  z.object({ ok: z.literal(false), reason: messageSchema }),
  z.object({
    ok: z.literal(true),
    sourceLabel: messageSchema,
    /** Pods of this same environment already running, counted as replaced by the planned ones (an update). */
    replacedPods: z.number().int().nonnegative(),
    allFit: z.boolean(),
    pods: z.array(
      z.object({
        component: z.string(),
        pod: z.string(),
        spawned: z.boolean(),
        fits: z.boolean(),
        node: z.string().optional(),
        message: z.string().optional(),
        hint: z.string().optional(),
        /** The hint as messages, for the user's language. */
        hints: z.array(messageSchema).optional(),
      }),
    ),
    nodes: z.array(
      z.object({
        name: z.string(),
        schedulable: z.boolean(),
        ready: z.boolean(),
        allocatable: amountsSchema,
        usedBefore: amountsSchema,
        planned: amountsSchema,
        plannedPods: z.number(),
      }),
    ),
    presets: z.array(z.object({ preset: z.string(), fits: z.boolean(), pending: z.number() })),
    /** For the main knobs: the largest value that fits now, with everything else as chosen. */
    largest: z.array(z.object({ parameter: z.string(), value: valueSchema.nullable() })),
  }),
]);

export type FitView = z.infer<typeof fitViewSchema>;
export type CapacitySource = z.infer<typeof capacitySourceSchema>;
