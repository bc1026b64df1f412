/**
 * Every RBAC object of a plan in plain words, for Review: what each Role may
 * do and to whom each RoleBinding gives it, so a reviewer sees every right the
 * environment grants without reading YAML.
 */
import type { KubeObject, Plan } from './types';
import { say, type Message } from '../messages/message';

export interface RbacLine {
  kind: string;
  name: string;
  /** "get, list on pods, persistentvolumeclaims" per rule; "Role hub → ServiceAccount hub" for a binding. */
  grants: Message[];
}

const RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'RoleBinding']);

export function rbacSummary(plan: Pick<Plan, 'objects'>): RbacLine[] {
  return plan.objects
    .filter((object) => RBAC_KINDS.has(object.kind))
    .map((object) => ({ kind: object.kind, name: object.metadata.name, grants: grants(object) }));
}

function grants(object: KubeObject): Message[] {
  if (object.kind === 'Role') {
    const rules = Array.isArray(object.rules) ? (object.rules as { verbs?: string[]; resources?: string[]; apiGroups?: string[] }[]) : [];
    return rules.map((rule) => {
      const groups = (rule.apiGroups ?? []).filter((group) => group !== '');
      const resources = (rule.resources ?? []).join(', ');
      return say('rbac.rule', {
        verbs: (rule.verbs ?? []).join(', '),
        resources,
        groups: groups.length === 0 ? '' : ` (${groups.join(', ')})`,
      });
    });
  }
  if (object.kind === 'RoleBinding') {
    const ref = (object.roleRef ?? {}) as { kind?: string; name?: string };
    const subjects = Array.isArray(object.subjects) ? (object.subjects as { kind?: string; name?: string }[]) : [];
    return subjects.map((subject) =>
      say('rbac.binding', { role: `${ref.kind ?? ''} ${ref.name ?? ''}`, subject: `${subject.kind ?? ''} ${subject.name ?? ''}` }),
    );
  }
  return [];
}
