/**
 * What every target (kube now; IM and the dispatcher later) does with a Plan:
 * apply it, remove what it made, and say what happens as it happens. Cluster
 * failures come back as values in the result; only programming errors throw.
 */
import type { ApiErrorShape } from '../../errors';
import type { Message } from '../../messages/message';
import type { KubeObject, Plan } from '../../render/types';

import type { TargetKind } from '../../contract/plan';

export type { TargetKind } from '../../contract/plan';

/** One object of the plan and what was done to it, as the inventory records it. */
export interface ObjectOutcome {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  state: 'planned' | 'applied' | 'failed' | 'pruned' | 'deleted';
  message?: string;
}

export type PodState = 'pending' | 'unschedulable' | 'scheduled' | 'pulling' | 'running' | 'ready' | 'waiting' | 'failed' | 'gone';

export type OperationPhase = 'connecting' | 'applying' | 'pruning' | 'waiting' | 'deleting' | 'done';

interface Said {
  /** The event in plain words, one line, ready to print or show (English). */
  text: string;
  /** The same as a message, for the Deploy page in the user's language; absent where the words are Kubernetes' or IM's own. */
  said?: Message;
  /** ISO time the event was seen. */
  at: string;
}

export type ProgressEvent = Said &
  (
    | { type: 'phase'; phase: OperationPhase }
    | {
        type: 'object';
        action: 'applied' | 'failed' | 'pruned' | 'deleted' | 'retrying' | 'conflict';
        kind: string;
        name: string;
        namespace?: string;
        message?: string;
      }
    /** After each wave: the outcome of every object in it (the inventory is written then). */
    | { type: 'wave'; index: number; count: number; objects: ObjectOutcome[] }
    | { type: 'pod'; name: string; component?: string; state: PodState; reason?: string; message?: string; node?: string }
    | { type: 'workload'; kind: string; name: string; component?: string; ready: number; desired: number }
    | { type: 'namespace'; name: string; state: 'terminating' | 'gone'; message?: string }
    /** IM and the dispatcher: the infrastructure was created; the operation records its id before anything else happens. */
    | { type: 'infrastructure'; id: string; uri: string }
  );

export type ProgressListener = (event: ProgressEvent) => void;

export interface TargetCallOptions {
  signal: AbortSignal;
  onProgress: ProgressListener;
}

export interface ApplyOptions extends TargetCallOptions {
  /** Wait until every workload is ready, at most this long; without it, apply ends when every object is applied. */
  waitForReadyMs?: number;
  /** After reporting a field-manager conflict, apply again taking the fields over (kubectl's --force-conflicts). */
  forceConflicts?: boolean;
}

export type Outcome = 'succeeded' | 'failed' | 'cancelled';

export interface ReadinessSummary {
  ready: boolean;
  /** "worker: 2/7 ready; worker-5d8f-x2x: Pending: 0/6 nodes are available: …" or "all 5 workloads ready". */
  text: string;
  /** The same as a message, in the user's language on the Deploy and Environment pages. */
  said?: Message;
}

/** A progress line's `text` and `said` from one message. */
export function sayingOf(message: Message): { text: string; said: Message } {
  return { text: message.text, said: message };
}

export interface ApplyResult {
  outcome: Outcome;
  /** Every object of the plan, in plan order. */
  objects: ObjectOutcome[];
  /** Objects that left the plan and were deleted. */
  pruned: ObjectOutcome[];
  /** Present when readiness was awaited. */
  readiness?: ReadinessSummary;
  error?: ApiErrorShape;
}

/** What a target already holds for an environment, read before rendering. */
export interface ExistingEnvironment {
  /** absent: nothing there; ours: made by this environment; deleting: ours, still going away; foreign: the name is taken by something else; unknown: not readable. */
  presence: 'absent' | 'ours' | 'deleting' | 'foreign' | 'unknown';
  /** Generated secrets as the live objects hold them ("secret.key" → value): never stored locally. */
  secrets: Record<string, string>;
  message?: string;
}

export interface RemoveRequest {
  environmentId: string;
  /** kube: the environment's namespace. */
  namespace: string;
  /** IM and the dispatcher: the infrastructure the inventory recorded. */
  infrastructureId?: string;
  /** Objects the inventory says were applied, for targets that delete member by member. */
  objects?: readonly Pick<KubeObject, 'apiVersion' | 'kind'>[];
}

export interface RemoveOptions extends TargetCallOptions {
  /** Wait until everything is gone, at most this long; without it, remove ends once deletion was accepted. */
  waitMs?: number;
}

export interface RemoveResult {
  outcome: Outcome;
  /** True when the target confirmed that nothing is left. */
  gone: boolean;
  error?: ApiErrorShape;
}

export interface Target {
  readonly kind: TargetKind;
  existing(
    environment: { id: string; namespace: string; infrastructureId?: string },
    options: { signal: AbortSignal },
  ): Promise<ExistingEnvironment>;
  apply(plan: Plan, options: ApplyOptions): Promise<ApplyResult>;
  remove(request: RemoveRequest, options: RemoveOptions): Promise<RemoveResult>;
  /** Closes connections; the target is unusable afterwards. */
  close(): void;
}
