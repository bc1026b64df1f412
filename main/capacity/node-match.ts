/**
 * Which nodes a pod may go to, by the rules of kube-scheduler's
 * NodeUnschedulable, TaintToleration and NodeAffinity plugins (v1.35):
 * taints with tolerations, nodeSelector, required and preferred node affinity.
 */
import type { V1NodeAffinity, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import type { NodeTaint, SnapshotNode } from './snapshot';

export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

/** v1 Toleration.ToleratesTaint. */
export function toleratesTaint(toleration: V1Toleration, taint: NodeTaint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function isTolerated(tolerations: readonly V1Toleration[], taint: NodeTaint): boolean {
  return tolerations.some((toleration) => toleratesTaint(toleration, taint));
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate (TaintToleration Filter). */
export function untoleratedTaint(tolerations: readonly V1Toleration[], node: SnapshotNode): NodeTaint | undefined {
  return node.taints.find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !isTolerated(tolerations, taint));
}

/** A cordoned node still admits a pod that tolerates the unschedulable taint (NodeUnschedulable Filter). */
export function blockedByCordon(tolerations: readonly V1Toleration[], node: SnapshotNode): boolean {
  return node.unschedulable && !isTolerated(tolerations, { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' });
}

/**
 * PreferNoSchedule taints the pod does not tolerate (TaintToleration Score, before
 * normalising); `tolerations` are the pod's PreferNoSchedule and effect-less ones.
 */
export function intolerablePreferNoSchedule(tolerations: readonly V1Toleration[], node: SnapshotNode): number {
  let count = 0;
  for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !isTolerated(tolerations, taint)) count += 1;
  return count;
}

function parseInteger(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** labels.Requirement.Matches for a node-selector requirement; an invalid requirement matches nothing. */
function labelRequirementMatches(requirement: V1NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(value as string);
    case 'NotIn':
      return !has || !values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const mine = has ? parseInteger(value as string) : undefined;
      const bound = values.length === 1 ? parseInteger(values[0] as string) : undefined;
      if (mine === undefined || bound === undefined) return false;
      return requirement.operator === 'Gt' ? mine > bound : mine < bound;
    }
    default:
      return false;
  }
}

/** Field requirements support only metadata.name with In/NotIn of one value. */
function fieldRequirementMatches(requirement: V1NodeSelectorRequirement, nodeName: string): boolean {
  const values = requirement.values ?? [];
  if (requirement.key !== 'metadata.name' || values.length !== 1) return false;
  if (requirement.operator === 'In') return nodeName === values[0];
  if (requirement.operator === 'NotIn') return nodeName !== values[0];
  return false;
}

function isEmptyTerm(term: V1NodeSelectorTerm): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

/** Expressions and fields of one term are ANDed. */
function termMatches(term: V1NodeSelectorTerm, node: SnapshotNode): boolean {
  for (const requirement of term.matchExpressions ?? []) if (!labelRequirementMatches(requirement, node.labels)) return false;
  for (const requirement of term.matchFields ?? []) if (!fieldRequirementMatches(requirement, node.name)) return false;
  return true;
}

/** Every nodeSelector label matches, and one of the required affinity terms (empty terms never match). */
export function matchesRequiredPlacement(spec: Pick<V1PodSpec, 'nodeSelector' | 'affinity'>, node: SnapshotNode): boolean {
  const selector = spec.nodeSelector;
  if (selector) for (const key in selector) if (node.labels[key] !== selector[key]) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return required.nodeSelectorTerms.some((term) => !isEmptyTerm(term) && termMatches(term, node));
}

/** Sum of the weights of the preferred terms the node matches (NodeAffinity Score, before normalising). */
export function preferredAffinityScore(affinity: V1NodeAffinity | undefined, node: SnapshotNode): number {
  let score = 0;
  for (const term of affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (term.weight === 0 || isEmptyTerm(term.preference)) continue;
    if (termMatches(term.preference, node)) score += term.weight;
  }
  return score;
}

/**
 * NodeAffinity's PreFilter: when every required term names nodes through
 * `matchFields metadata.name In`, only those nodes are considered; the rest are
 * rejected without running the filters. 'conflict' when the names cancel out.
 */
export function nodeNamesFromAffinity(spec: Pick<V1PodSpec, 'affinity'>): ReadonlySet<string> | 'conflict' | undefined {
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    let termNames: Set<string> | undefined;
    for (const requirement of term.matchFields ?? []) {
      if (requirement.key !== 'metadata.name' || requirement.operator !== 'In') continue;
      const values = new Set(requirement.values ?? []);
      termNames = termNames === undefined ? values : new Set([...termNames].filter((name) => values.has(name)));
    }
    // A term without a node-name requirement admits every node: the terms are ORed.
    if (termNames === undefined) return undefined;
    for (const name of termNames) names.add(name);
  }
  return names.size === 0 ? 'conflict' : names;
}
