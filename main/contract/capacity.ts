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

const resourceNamesSchema = z.array(z.string());

export const fitViewSchema = z.discriminatedUnion('ok', [
  /** The values are not valid yet, or no capacity is known (no profile section, cluster unreachable). */
  z.object({ ok: z.literal(false), reason: messageSchema }),
  z.object({
    ok: z.literal(true),
    sourceLabel: messageSchema,
    /** Pods of this same environment already running, counted as replaced by the planned ones (an update). */
    replacedPods: z.number().int().nonnegative(),
    allFit: z.boolean(),
    /** The counts `afp fit` prints too (main/capacity/fit-summary.ts): every pod, the users' servers included. */
    summary: z.object({
      pods: z.number().int().nonnegative(),
      pending: z.number().int().nonnegative(),
      spawned: z.number().int().nonnegative(),
      spawnedPending: z.number().int().nonnegative(),
      /** What the whole plan requests (cpu in millicores, memory in bytes), and per workload. */
      request: z.object({ cpu: z.number(), memory: z.number() }),
      byWorkload: z.array(
        z.object({
          component: z.string(),
          workload: z.string(),
          pods: z.number(),
          spawned: z.number(),
          cpu: z.number(),
          memory: z.number(),
        }),
      ),
      /** Pods that would stay Pending, by workload and what runs out (`cpu`, `memory`, `pods`, `placement`). */
      pendingGroups: z.array(
        z.object({
          component: z.string(),
          workload: z.string(),
          spawned: z.boolean(),
          pods: z.array(z.string()),
          short: resourceNamesSchema,
          message: z.string(),
          hint: z.string().optional(),
          /** The hint as messages, for the user's language. */
          hints: z.array(messageSchema).optional(),
        }),
      ),
      binding: resourceNamesSchema,
    }),
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
        /** The part of usedBefore that pods every node runs take (DaemonSets, static pods, or the profile's headroom). */
        everyNode: amountsSchema,
        planned: amountsSchema,
        plannedPods: z.number(),
        /** Pending pods that came closest to fitting here, and what they would have asked of this node. */
        overflow: amountsSchema,
        overflowPods: z.array(z.object({ pod: z.string(), short: resourceNamesSchema })),
      }),
    ),
    presets: z.array(z.object({ preset: z.string(), fits: z.boolean(), pending: z.number() })),
    /**
     * For the main knobs, a value to change to, never the current one: the largest that fits now with
     * everything else as chosen (`value`), or none (`value: null`); `limitedBy` names what runs out past it.
     */
    suggestions: z.array(
      z.object({
        parameter: z.string(),
        value: valueSchema.nullable(),
        /** The value past which (or, with `value: null`, at whose smallest value) something runs out. */
        limitedBy: resourceNamesSchema,
        /** `lower`: the plan does not fit and this value would; `raise`: it fits and this is the most that would. */
        direction: z.enum(['lower', 'raise']),
      }),
    ),
  }),
]);

export type FitView = z.infer<typeof fitViewSchema>;
export type CapacitySource = z.infer<typeof capacitySourceSchema>;
