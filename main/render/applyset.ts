/**
 * ApplySet membership (KEP-3659), so `kubectl apply --prune --applyset` and
 * this app agree on what belongs to an environment: a parent Secret carrying
 * the set's id, tooling and member kinds; a part-of label on every member.
 */
import { createHash } from 'node:crypto';
import { groupKind } from './models';
import type { KubeObject, PlanApplySet, PlanEnvironment } from './types';

export const APPLYSET_PART_OF = 'applyset.kubernetes.io/part-of';
export const APPLYSET_ID = 'applyset.kubernetes.io/id';
export const APPLYSET_TOOLING = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS = 'applyset.kubernetes.io/contains-group-kinds';
export const TOOLING = 'afp/v1';
export const PARENT_NAME = 'afp-applyset';

/** The id kubectl computes: base64url(sha256("<name>.<namespace>.<Kind>.<group>")) in applyset-…-v1. */
export function applysetId(name: string, namespace: string, kind: string, group: string): string {
  const digest = createHash('sha256').update([name, namespace, kind, group].join('.')).digest('base64url');
  return `applyset-${digest}-v1`;
}

export function applysetFor(environment: PlanEnvironment, members: readonly KubeObject[]): PlanApplySet {
  const groupKinds = [...new Set(members.map((object) => groupKind(object.apiVersion, object.kind)))].sort();
  return {
    id: applysetId(PARENT_NAME, environment.namespace, 'Secret', ''),
    parent: { apiVersion: 'v1', kind: 'Secret', name: PARENT_NAME, namespace: environment.namespace },
    tooling: TOOLING,
    groupKinds,
  };
}

export function parentObject(applyset: PlanApplySet, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: applyset.parent.name,
      namespace: applyset.parent.namespace,
      labels: { ...labels, [APPLYSET_ID]: applyset.id },
      annotations: { [APPLYSET_TOOLING]: applyset.tooling, [APPLYSET_GROUP_KINDS]: applyset.groupKinds.join(',') },
    },
    type: 'Opaque',
  };
}

/** Members carry the part-of label (the parent does not: it is the set). */
export function markMember(object: KubeObject, applyset: PlanApplySet): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, [APPLYSET_PART_OF]: applyset.id } } };
}
