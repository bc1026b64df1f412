/**
 * Raw Kubernetes objects a template adds (e.g. KubeSpawner's ServiceAccount,
 * Role and RoleBinding): put in the environment's namespace, labelled, and
 * limited to kinds this app knows how to order and validate.
 */
import type { ApiErrorShape } from '../errors';
import type { ExtraObjectGroup } from '../catalogue/schema/template';
import type { LoadedTemplate } from '../catalogue/template';
import { errorAt } from '../yaml/parse';
import { ProblemsError } from '../yaml/problems';
import { KINDS, kindKey } from './models';
import type { KubeObject, PlanEnvironment } from './types';

export interface KubeOnlyGroup {
  purpose: string;
  objects: KubeObject[];
}

export function extraObjects(
  template: LoadedTemplate,
  groups: readonly ExtraObjectGroup[],
  environment: PlanEnvironment,
  labels: Record<string, string>,
): KubeOnlyGroup[] {
  const problems: ApiErrorShape[] = [];
  const supported = Object.keys(KINDS)
    .filter((key) => key !== 'v1/Namespace')
    .map((key) => key.slice(key.lastIndexOf('/') + 1))
    .join(', ');
  const result = groups.map((group, groupIndex) => {
    const objects: KubeObject[] = [];
    group.objects.forEach((raw, index) => {
      const at = ['extraObjects', groupIndex, 'objects', index];
      const report = (field: string, message: string): void => {
        problems.push(errorAt(template.source, 'invalid_template', [...at, field], message));
      };
      const { apiVersion, kind } = raw;
      const metadata = (raw.metadata ?? {}) as {
        name?: unknown;
        namespace?: unknown;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') return report('kind', 'an object needs apiVersion and kind');
      if (kind === 'ClusterRole' || kind === 'ClusterRoleBinding') {
        return report(
          'kind',
          `${kind} is refused: an environment may grant rights only inside its own namespace (use a Role and RoleBinding)`,
        );
      }
      if (KINDS[kindKey(apiVersion, kind)] === undefined || kind === 'Namespace') {
        return report('kind', `${apiVersion} ${kind} cannot be added here (supported: ${supported})`);
      }
      if (typeof metadata.name !== 'string') return report('metadata', 'metadata.name is required');
      if (metadata.namespace !== undefined && metadata.namespace !== environment.namespace) {
        return report(
          'metadata',
          `objects live in the environment's namespace; leave metadata.namespace out (got ${JSON.stringify(metadata.namespace)})`,
        );
      }
      if (kind === 'RoleBinding') {
        const refused = bindingProblems(raw, environment.namespace);
        if (refused !== undefined) return report(refused.field, refused.message);
      }
      const object: KubeObject = {
        ...raw,
        apiVersion,
        kind,
        metadata: { ...metadata, name: metadata.name, namespace: environment.namespace, labels: { ...metadata.labels, ...labels } },
      };
      if (kind === 'RoleBinding' && Array.isArray(object.subjects)) {
        object.subjects = (object.subjects as Record<string, unknown>[]).map((subject) =>
          subject.kind === 'ServiceAccount' && subject.namespace === undefined ? { ...subject, namespace: environment.namespace } : subject,
        );
      }
      objects.push(object);
    });
    return { purpose: group.purpose, objects };
  });
  if (problems.length > 0) throw new ProblemsError(problems);
  return result;
}

/**
 * A RoleBinding may bind only a Role of the environment to its own
 * ServiceAccounts: a ClusterRole (admin, cluster-admin) or a User, a Group
 * (system:authenticated) or another namespace's account reaches past the environment.
 */
function bindingProblems(raw: Record<string, unknown>, namespace: string): { field: string; message: string } | undefined {
  const roleRef = (raw.roleRef ?? {}) as { kind?: unknown; name?: unknown };
  if (roleRef.kind !== 'Role') {
    return {
      field: 'roleRef',
      message: `binds the ${String(roleRef.kind)} ${JSON.stringify(roleRef.name)}; a template may bind only a Role it declares`,
    };
  }
  const subjects = Array.isArray(raw.subjects) ? (raw.subjects as { kind?: unknown; name?: unknown; namespace?: unknown }[]) : [];
  for (const subject of subjects) {
    if (subject.kind !== 'ServiceAccount' || (subject.namespace !== undefined && subject.namespace !== namespace)) {
      const where = subject.namespace === undefined ? '' : ` of namespace ${JSON.stringify(subject.namespace)}`;
      return {
        field: 'subjects',
        message: `grants rights to the ${String(subject.kind)} ${JSON.stringify(subject.name)}${where}; a template may bind only the environment's own ServiceAccounts`,
      };
    }
  }
  return undefined;
}
