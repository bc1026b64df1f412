/**
 * One environment as the app remembers it. Schema-versioned: the inventory
 * migrates older files forward. Never holds a token or a generated password.
 */
import { z } from 'zod';
import { STATUS_PHASES } from '../contract/environments';
import { messageIdSchema, messageParamsSchema, messageSchema } from '../contract/message';

export const INVENTORY_SCHEMA_VERSION = 1;

/** What a recorded Secret manifest holds in place of each value (see `manifests` below). */
export const HIDDEN_SECRET_VALUE = '(hidden)';

// The phases are the contract's: what is stored is what every view shows.
export { STATUS_PHASES, type StatusPhase } from '../contract/environments';

export const targetRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kube'), kubeconfig: z.string().optional(), context: z.string(), server: z.string(), namespace: z.string() }),
  z.object({ kind: z.literal('im'), imUrl: z.string(), infrastructureId: z.string().optional() }),
  z.object({
    kind: z.literal('dispatcher'),
    dispatcherUrl: z.string(),
    imUrl: z.string().optional(),
    infrastructureId: z.string().optional(),
  }),
]);
export type TargetRef = z.infer<typeof targetRefSchema>;

export const objectRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  /** What the last operation did to it. */
  state: z.enum(['planned', 'applied', 'failed', 'pruned', 'deleted']),
  message: z.string().optional(),
});
export type ObjectRef = z.infer<typeof objectRefSchema>;

export const linkSchema = z.object({
  id: z.string(),
  title: z.string(),
  component: z.string(),
  service: z.string(),
  port: z.number().int(),
  path: z.string(),
  scheme: z.enum(['http', 'https']),
  expose: z.enum(['cluster', 'nodeport', 'ingress']),
  /** Known URL (ingress, NodePort); cluster-only links are reached through a port-forward on demand. */
  url: z.string().optional(),
});
export type LinkRecord = z.infer<typeof linkSchema>;

const keyRefSchema = z.object({ name: z.string(), key: z.string() });
/** Where IM's stored TOSCA holds a secret's value: a container node's environment variable or file. */
export const toscaLocatorSchema = z.union([
  z.object({ node: z.string(), variable: z.string() }),
  z.object({ node: z.string(), file: z.string() }),
]);
export type ToscaLocator = z.infer<typeof toscaLocatorSchema>;
/** Where a credential the owner needs is kept (the template's credentials section): names only, never the value. */
export const credentialRefSchema = z.object({
  id: z.string(),
  title: z.string(),
  component: z.string(),
  username: z.union([z.string(), z.object({ secret: keyRefSchema })]).optional(),
  secret: keyRefSchema,
  /** IM and the dispatcher: where their stored TOSCA holds the values (names only). */
  tosca: z.object({ secret: toscaLocatorSchema, username: toscaLocatorSchema.optional() }).optional(),
});
export type CredentialRef = z.infer<typeof credentialRefSchema>;

export const operationSchema = z.object({
  id: z.string(),
  kind: z.enum(['deploy', 'update', 'delete']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** `running` when the app stopped mid-operation: shown as interrupted and resumable. */
  outcome: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  /** In English; `said` is the same as a message, in the user's language (absent in records written before). */
  message: z.string().optional(),
  said: messageSchema.optional(),
  /** Values the operation applied (updates), for the history. */
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** The process running it (set by the inventory): a `running` operation whose process is gone was interrupted. */
  pid: z.number().int().optional(),
});
export type OperationRecord = z.infer<typeof operationSchema>;

export const statusSchema = z.object({
  phase: z.enum(STATUS_PHASES),
  /** Plain words: which pod, why (e.g. "dask-worker-2: 0/6 nodes are available: 6 Insufficient memory."), in English. */
  message: z.string().optional(),
  /** The message's id and parameters (main/messages), to say it in the user's language; records written before have none, and show `message`. */
  id: messageIdSchema.optional(),
  params: messageParamsSchema.optional(),
  since: z.string(),
  /** When the target was last seen; with Unknown, since when it is unreachable. */
  checkedAt: z.string().optional(),
});
export type EnvironmentStatus = z.infer<typeof statusSchema>;

export const environmentRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  template: z.object({ name: z.string(), version: z.string() }),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  target: targetRefSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  status: statusSchema,
  objects: z.array(objectRefSchema),
  links: z.array(linkSchema),
  /** The site's link policy the last deploy or update rendered with: kept when no site profile is in force later. */
  linkPolicy: z
    .object({ ingressDomain: z.string().optional(), tls: z.boolean().optional(), ingressClassName: z.string().optional() })
    .optional(),
  operations: z.array(operationSchema),
  /** Who the hub's admin is (the signed-in user, else the kubeconfig's user), kept so a later update renders the same owner. */
  owner: z.string().optional(),
  /** The secret keys holding the owner's credentials, as the last deploy or update rendered them. */
  credentials: z.array(credentialRefSchema).optional(),
  /**
   * The plan's objects as the last deploy or update asked for them, Secret values left out: the
   * expected side when drift is looked for (records written before this have none, and show none).
   */
  manifests: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type EnvironmentRecord = z.infer<typeof environmentRecordSchema>;
