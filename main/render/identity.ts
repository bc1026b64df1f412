/**
 * Who an environment is in the cluster: its namespace, id and the labels
 * every object carries (app.kubernetes.io/*, afp.dev/environment-id).
 */
import { createHash } from 'node:crypto';
import { AfpError } from '../errors';
import { say } from '../messages/message';
import { DNS_LABEL } from '../catalogue/schema/common';
import type { PlanEnvironment } from './types';

export const MANAGED_BY = 'afp';
export const ENVIRONMENT_ID_LABEL = 'afp.dev/environment-id';
export const CONFIG_HASH_ANNOTATION = 'afp.dev/config-hash';

const RESERVED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

export function environmentIdentity(
  environment: { name: string; id?: string; namespace?: string },
  template: { name: string; version: string },
): PlanEnvironment {
  if (!DNS_LABEL.test(environment.name) || environment.name.length > 53) {
    throw new AfpError('invalid_input', say('identity.badName', { name: JSON.stringify(environment.name) }), { field: 'environment.name' });
  }
  const namespace = environment.namespace ?? environment.name;
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    throw new AfpError('invalid_input', say('identity.badNamespace', { namespace: JSON.stringify(namespace) }), {
      field: 'environment.namespace',
    });
  }
  if (RESERVED_NAMESPACES.has(namespace) || namespace.startsWith('kube-')) {
    throw new AfpError('invalid_input', say('identity.reservedNamespace', { namespace }), {
      field: 'environment.namespace',
    });
  }
  const id = environment.id ?? derivedId(namespace, environment.name);
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(id)) {
    throw new AfpError('invalid_input', `environment id ${JSON.stringify(id)} cannot be a label value`, { field: 'environment.id' });
  }
  return { id, name: environment.name, namespace, template: template.name, templateVersion: template.version };
}

/** Without an id (offline export), one derived from the namespace and name keeps exports identical. */
function derivedId(namespace: string, name: string): string {
  const hex = createHash('sha256').update(`afp:${namespace}:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Labels on every object of the environment. */
export function commonLabels(environment: PlanEnvironment): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/instance': environment.name,
    'app.kubernetes.io/part-of': environment.template,
    [ENVIRONMENT_ID_LABEL]: environment.id,
  };
}

/** Labels that select one component's pods; never change for a running workload. */
/** The label naming a pod's component inside its environment. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

export function selectorLabels(environment: PlanEnvironment, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': environment.name,
    [COMPONENT_LABEL]: component,
  };
}
