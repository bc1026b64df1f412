import { z } from 'zod';
import { planRequestSchema, TARGETS, valuesSchema } from './plan';
import { apiErrorSchema } from './errors';
import { messageIdSchema, messageParamsSchema, messageSchema } from './message';

/** An environment's phases, as the inventory stores them and every view shows them. */
export const STATUS_PHASES = [
  'Pending',
  'Deploying',
  'Ready',
  'Degraded',
  /** Running, but objects were changed outside the app (the drift section says what); Restore re-applies the recorded plan. */
  'Drifted',
  'Failed',
  'Deleting',
  'Deleted',
  'Gone',
  'Unknown',
  'Cancelled',
] as const;
export type StatusPhase = (typeof STATUS_PHASES)[number];

export const statusViewSchema = z.object({
  phase: z.enum(STATUS_PHASES),
  /** In English; `id` and `params` say it in the user's language (absent in records written before statuses were messages). */
  message: z.string().optional(),
  id: messageIdSchema.optional(),
  params: messageParamsSchema.optional(),
  since: z.string(),
  checkedAt: z.string().optional(),
});

/** Every row has an `id` and a `version` that changes whenever anything shown changes (a resourceVersion, or a digest), so the tracker sends only what changed. */
const row = { id: z.string(), version: z.string() };
export const podViewSchema = z.object({
  ...row,
  name: z.string(),
  component: z.string().optional(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number(),
  node: z.string().optional(),
  /** Why it is not fine, in plain words (English); `reasonSaid` in the user's language. */
  reason: z.string().optional(),
  reasonSaid: messageSchema.optional(),
  createdAt: z.string(),
});
export const serviceViewSchema = z.object({
  ...row,
  name: z.string(),
  type: z.string(),
  ports: z.array(z.object({ name: z.string().optional(), port: z.number(), nodePort: z.number().optional() })),
});
export const ingressViewSchema = z.object({
  ...row,
  name: z.string(),
  rules: z.array(z.object({ host: z.string(), path: z.string(), service: z.string(), url: z.string() })),
});
export const workloadViewSchema = z.object({
  ...row,
  kind: z.string(),
  name: z.string(),
  component: z.string().optional(),
  desired: z.number(),
  ready: z.number(),
});
export const eventViewSchema = z.object({
  ...row,
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  /** "Pod/dask-worker-0" */
  object: z.string(),
  count: z.number(),
  lastSeen: z.string(),
});
export const linkViewSchema = z.object({
  ...row,
  title: z.string(),
  component: z.string(),
  /** How it is reached: a known URL (ingress, NodePort) or a port-forward opened on demand. */
  via: z.enum(['ingress', 'nodeport', 'port-forward', 'url']),
  /** Known URL; for port-forward links, set while a forward is open. */
  url: z.string().optional(),
  /** At least one pod behind it is Ready. */
  ready: z.boolean(),
});

/** A field the app set that someone else changed (server-side apply's managed fields say who), or an object deleted outside the app. */
export const driftViewSchema = z.object({
  ...row,
  kind: z.string(),
  name: z.string(),
  /** "spec.replicas"; "(object)" when the object was deleted. */
  field: z.string(),
  expected: z.string(),
  found: z.string(),
  /** The managedFields manager holding the field now (kubectl, kubectl-edit…); absent for a deleted object. */
  manager: z.string().optional(),
});

export const sectionsSchema = z.object({
  pods: z.array(podViewSchema),
  services: z.array(serviceViewSchema),
  ingresses: z.array(ingressViewSchema),
  workloads: z.array(workloadViewSchema),
  events: z.array(eventViewSchema),
  links: z.array(linkViewSchema),
  drift: z.array(driftViewSchema),
});

export const environmentSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  template: z.object({ name: z.string(), version: z.string() }),
  target: z.object({
    kind: z.enum(TARGETS),
    label: z.string(),
    /** Kubeconfig targets: where the environment runs, so its capacity can be read from the same cluster. */
    kubeconfig: z.string().optional(),
    context: z.string().optional(),
    /** IM and the dispatcher: the infrastructure IM made, once it named it. */
    infrastructureId: z.string().optional(),
    /** IM's URL for IM and dispatcher environments. */
    imUrl: z.string().optional(),
    /** What differs by kind, as the pages need it (main/targets/kinds/traits.ts), so they never compare kinds. */
    traits: z.object({
      /** The target keeps a log of its own (IM's). */
      keepsLog: z.boolean(),
      /** An update is applied in place, or the infrastructure is deleted and created again. */
      updates: z.enum(['in-place', 'recreate']),
      /** The app reads pods, container logs and Secrets from the cluster itself. */
      readsCluster: z.boolean(),
    }),
  }),
  status: statusViewSchema,
  /** What the user clicks (JupyterHub, the Dask dashboard, the MinIO console), live. */
  links: z.array(linkViewSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  values: valuesSchema,
  lastOperation: z
    .object({
      id: z.string(),
      kind: z.enum(['deploy', 'update', 'delete']),
      outcome: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
      message: z.string().optional(),
    })
    .optional(),
});

/** What deleting destroys, derived from the recorded plan (app/deletion-losses.ts). */
export const deletionLossSchema = z.object({
  kind: z.enum(['namespace', 'infrastructure', 'volume', 'buckets', 'homes']),
  name: z.string(),
  component: z.string().optional(),
  size: z.string().optional(),
});

export const environmentDetailSchema = z.object({
  summary: environmentSummarySchema,
  live: sectionsSchema,
  objects: z.array(z.object({ kind: z.string(), name: z.string(), state: z.string(), message: z.string().optional() })),
  /** What Delete destroys, said before the user confirms by typing the name. */
  losses: z.array(deletionLossSchema),
  /** What the owner can reveal (environments.credentials): labels only, never a value. */
  credentials: z.array(z.object({ id: z.string(), title: z.string(), component: z.string(), withUsername: z.boolean() })),
  operations: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().optional(),
      outcome: z.string(),
      /** In English; `said` is the same as a message, in the user's language (absent in records written before). */
      message: z.string().optional(),
      said: messageSchema.optional(),
    }),
  ),
});

/** Where to deploy: a kubeconfig context (default: the file's current one), or IM or the dispatcher the site profile names. */
export const targetChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kube'), kubeconfig: z.string().max(4096).optional(), context: z.string().max(253).optional() }).strict(),
  z.object({ kind: z.literal('im') }).strict(),
  z.object({ kind: z.literal('dispatcher') }).strict(),
]);

export const deployRequestSchema = z.object({ plan: planRequestSchema, target: targetChoiceSchema.default({ kind: 'kube' }) }).strict();

export const logsSchema = z.object({ infrastructureId: z.string(), text: z.string() });
export const operationStartedSchema = z.object({ operationId: z.string(), environmentId: z.string() });

/** The sections of an environment's live view, in the order the Environment page shows them. */
export const SECTIONS = sectionsSchema.keyof().options;

const sectionChanges = sectionsSchema.partial();
const sectionRemovals = z
  .object({
    pods: z.array(z.string()),
    services: z.array(z.string()),
    ingresses: z.array(z.string()),
    workloads: z.array(z.string()),
    events: z.array(z.string()),
    links: z.array(z.string()),
    drift: z.array(z.string()),
  })
  .partial();

/** One line of an operation's progress, as it happens. */
export const operationProgressSchema = z.object({
  type: z.literal('operation.progress'),
  operationId: z.string(),
  environmentId: z.string(),
  kind: z.enum(['deploy', 'update', 'delete']),
  /** Its place in the operation's lines (from 0): a page that opened late merges the history it asked for with what it heard. */
  seq: z.number().int().nonnegative(),
  /** One line in plain words, in English (the CLI prints it). */
  text: z.string(),
  /** The same line as a message (main/messages): the Deploy page says it in the user's language; absent for Kubernetes' or IM's own words. */
  id: messageIdSchema.optional(),
  params: messageParamsSchema.optional(),
  at: z.string(),
  /** What it is about, for the per-component progress view. */
  subject: z.object({
    type: z.string(),
    kind: z.string().optional(),
    name: z.string().optional(),
    component: z.string().optional(),
    state: z.string().optional(),
    ready: z.number().optional(),
    desired: z.number().optional(),
  }),
});

/** How an operation ended. */
export const operationDoneSchema = z.object({
  type: z.literal('operation.done'),
  operationId: z.string(),
  environmentId: z.string(),
  kind: z.enum(['deploy', 'update', 'delete']),
  outcome: z.enum(['succeeded', 'failed', 'cancelled']),
  error: apiErrorSchema.optional(),
  /** In English; `readinessSaid` in the user's language. */
  readiness: z.string().optional(),
  readinessSaid: messageSchema.optional(),
});

/** An operation's lines so far and its end if it ended: what a page opened after it started missed. */
export const operationHistorySchema = z.object({
  progress: z.array(operationProgressSchema),
  done: operationDoneSchema.optional(),
});

export const environmentsEventSchemas = [
  operationProgressSchema,
  operationDoneSchema,
  /** Batched changes of live status, gathered over a short window: only what changed. */
  z.object({
    type: z.literal('environments.batch'),
    deltas: z.array(
      z.object({
        environmentId: z.string(),
        name: z.string(),
        status: statusViewSchema.optional(),
        upserted: sectionChanges.optional(),
        removed: sectionRemovals.optional(),
        untracked: z.literal(true).optional(),
      }),
    ),
  }),
] as const;

export type EnvironmentSummary = z.infer<typeof environmentSummarySchema>;
export type OperationHistory = z.infer<typeof operationHistorySchema>;
export type EnvironmentDetail = z.infer<typeof environmentDetailSchema>;
export type Sections = z.infer<typeof sectionsSchema>;
export type Section = keyof Sections;
export type PodView = z.infer<typeof podViewSchema>;
export type ServiceView = z.infer<typeof serviceViewSchema>;
export type IngressView = z.infer<typeof ingressViewSchema>;
export type WorkloadView = z.infer<typeof workloadViewSchema>;
export type EventView = z.infer<typeof eventViewSchema>;
export type LinkView = z.infer<typeof linkViewSchema>;
export type DriftView = z.infer<typeof driftViewSchema>;
export type DeletionLoss = z.infer<typeof deletionLossSchema>;
export type TargetChoiceView = z.infer<typeof targetChoiceSchema>;
