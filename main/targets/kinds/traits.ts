/**
 * What differs between the kinds of target, declared once per kind, so that
 * the operations, the app and the CLI ask a target's traits instead of
 * comparing its kind: how an update reaches a running environment, what it
 * cannot create, whether it keeps a log, where live status comes from, when
 * it needs the signed-in session, and how a recorded target is named.
 */
import { TARGETS, type ExportFormat, type TargetKind } from '../../contract/plan';
import { checkCapabilities } from '../../render/tosca/render-tosca';
import type { CapabilityCheck } from '../../render/tosca/types';
import type { Plan } from '../../render/types';
import type { TargetRef } from '../../inventory/record';

export interface TargetTraits {
  readonly kind: TargetKind;
  /** In words, for messages: "a Kubernetes context", "the Infrastructure Manager (IM)", "the site's dispatcher". */
  readonly title: string;
  /** An update is applied in place (server-side apply, then prune), or the infrastructure is deleted and created again (IM cannot change a running one). */
  readonly updates: 'in-place' | 'recreate';
  /** What the target cannot create faithfully from this plan (nothing, for a cluster). */
  capability(plan: Plan): CapabilityCheck;
  /** Whether the target keeps a log of its own (IM's): afp logs, the Environment page's Logs. */
  readonly logs: boolean;
  /** Where live status comes from: the cluster's watches, or IM's state. */
  readonly status: 'cluster' | 'im';
  /** The app reads the environment's pods, container logs and Secrets from the cluster itself (IM keeps its own inside). */
  readonly readsCluster: boolean;
  /** Acts as the signed-in user always (IM, the dispatcher), or only when its kubeconfig context is bound to the session. */
  readonly signIn: 'always' | 'when-bound';
  /** Chosen with a kubeconfig file and context (afp deploy --kubeconfig/--context, --force-conflicts). */
  readonly kubeconfig: boolean;
  /** What a deploy that does not wait has achieved when it ends. */
  readonly accepted: string;
  /** The document the target takes, as export writes it: Kubernetes manifests, or IM's TOSCA. */
  readonly document: ExportFormat;
}

const im = (kind: 'im' | 'dispatcher', title: string): TargetTraits => ({
  kind,
  title,
  updates: 'recreate',
  capability: (plan) => checkCapabilities(plan),
  logs: true,
  status: 'im',
  readsCluster: false,
  signIn: 'always',
  kubeconfig: false,
  accepted: 'accepted: IM is creating it',
  document: 'tosca',
});

const TRAITS: Record<TargetKind, TargetTraits> = {
  kube: {
    kind: 'kube',
    title: 'a Kubernetes context',
    updates: 'in-place',
    capability: () => ({ ok: true, items: [] }),
    logs: false,
    status: 'cluster',
    readsCluster: true,
    signIn: 'when-bound',
    kubeconfig: true,
    accepted: 'deployed: every object applied',
    document: 'kube',
  },
  im: im('im', 'the Infrastructure Manager (IM)'),
  dispatcher: im('dispatcher', "the site's dispatcher"),
};

export function traitsOf(kind: TargetKind): TargetTraits {
  return TRAITS[kind];
}

export function isTargetKind(text: string): text is TargetKind {
  return (TARGETS as readonly string[]).includes(text);
}

/** Where a recorded environment lives, in words: for the Environment page ("ctx · ns") or a table row ("ctx/ns"). */
export function targetLabel(ref: TargetRef, style: 'page' | 'list'): string {
  if (ref.kind === 'kube') return style === 'page' ? `${ref.context} · ${ref.namespace}` : `${ref.context}/${ref.namespace}`;
  const id = style === 'list' && ref.infrastructureId !== undefined ? ` (${ref.infrastructureId})` : '';
  if (ref.kind === 'im') return `IM ${ref.imUrl}${id}`;
  return `dispatcher ${ref.dispatcherUrl}${id}`;
}

/** What the pages need of a kind's traits, as the contract's summary carries them. */
export function targetTraitsView(kind: TargetKind): { keepsLog: boolean; updates: 'in-place' | 'recreate'; readsCluster: boolean } {
  const traits = TRAITS[kind];
  return { keepsLog: traits.logs, updates: traits.updates, readsCluster: traits.readsCluster };
}

/** The fields the contract's summary shows of a recorded target besides kind and label. */
export function targetFacts(ref: TargetRef): { kubeconfig?: string; context?: string; infrastructureId?: string; imUrl?: string } {
  if (ref.kind === 'kube') return { context: ref.context, ...(ref.kubeconfig === undefined ? {} : { kubeconfig: ref.kubeconfig }) };
  return {
    ...(ref.infrastructureId === undefined ? {} : { infrastructureId: ref.infrastructureId }),
    ...(ref.imUrl === undefined ? {} : { imUrl: ref.imUrl }),
  };
}

/** The infrastructure IM made for an IM or dispatcher environment, once it named it. */
export function infrastructureOf(ref: TargetRef | undefined): string | undefined {
  return ref === undefined || ref.kind === 'kube' ? undefined : ref.infrastructureId;
}

/** Records the infrastructure IM named (undefined: the old one was deleted for a redeploy); a cluster has none. */
export function withInfrastructure(ref: TargetRef, id: string | undefined): void {
  if (ref.kind === 'kube') return;
  if (id === undefined) delete ref.infrastructureId;
  else ref.infrastructureId = id;
}

/** The namespace the target recorded (a cluster's), or undefined where IM names its own. */
export function recordedNamespace(ref: TargetRef): string | undefined {
  return ref.kind === 'kube' ? ref.namespace : undefined;
}
