/**
 * Container logs of a Kubernetes environment: which pods and containers have
 * one, a stream opened on one of them (its lines arrive as `logs.lines`
 * events, batched, and `logs.ended` closes it), and stopping it. Bounds: see
 * LOG_BOUNDS; the renderer keeps no more than the main process sends.
 */
import { z } from 'zod';
import { apiErrorSchema } from './errors';

/** What a log view holds at most, and how much one stream may buffer between two batches. */
export const LOG_BOUNDS = { lines: 5000, bytes: 2 * 1024 * 1024, tailLines: 5000, streams: 8 } as const;

/** A Kubernetes object name (RFC 1123 label or subdomain): what a pod or container may be called. */
const kubeName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes name (lower-case letters, digits, - and .)');

export const logSourcesSchema = z.object({
  pods: z.array(
    z.object({
      name: z.string(),
      component: z.string().optional(),
      phase: z.string(),
      containers: z.array(
        z.object({
          name: z.string(),
          restarts: z.number(),
          /** It ran before (crashed or restarted): its previous log can be read. */
          hasPrevious: z.boolean(),
          init: z.boolean(),
        }),
      ),
    }),
  ),
});

export const logStreamRequestSchema = z
  .object({
    id: z.string().min(1).max(200),
    pod: kubeName,
    container: kubeName,
    follow: z.boolean().default(false),
    previous: z.boolean().default(false),
    tailLines: z.number().int().min(1).max(LOG_BOUNDS.tailLines).default(500),
  })
  .strict();

export const logsContract = {
  /** The environment's pods and their containers, read now, for choosing a log. */
  'environments.logSources': { input: z.object({ id: z.string().min(1).max(200) }).strict(), output: logSourcesSchema },
  /** Opens a container's log: lines arrive as logs.lines events for `streamId`, then logs.ended. */
  'environments.logStream': { input: logStreamRequestSchema, output: z.object({ streamId: z.string() }) },
  'environments.logStop': {
    input: z.object({ streamId: z.string().min(1).max(200) }).strict(),
    output: z.object({ stopped: z.boolean() }),
  },
} as const;

export const logsEventSchemas = [
  /** Lines gathered over a short window; `dropped` counts lines the bound let go before they could be sent. */
  z.object({ type: z.literal('logs.lines'), streamId: z.string(), lines: z.array(z.string()), dropped: z.number().int().min(0) }),
  z.object({ type: z.literal('logs.ended'), streamId: z.string(), error: apiErrorSchema.optional() }),
] as const;

export type LogSources = z.infer<typeof logSourcesSchema>;
export type LogStreamRequest = z.infer<typeof logStreamRequestSchema>;
