/**
 * The kinds a plan may hold, each with its kubernetes-models class (the
 * official OpenAPI schema), its wave and whether it lives in a namespace.
 */
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  LimitRange,
  Namespace,
  PersistentVolumeClaim,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';

interface Model {
  validate(): void;
}

export interface KindInfo {
  model: new (data: never) => Model;
  /** Namespace → prerequisites (accounts, RBAC, config, storage, policies) → Services and quota → workloads → Ingress. */
  wave: number;
}

export const WAVE_COUNT = 5;

export const KINDS: Readonly<Record<string, KindInfo>> = {
  'v1/Namespace': { model: Namespace, wave: 0 },
  'v1/ServiceAccount': { model: ServiceAccount, wave: 1 },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, wave: 1 },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, wave: 1 },
  'v1/Secret': { model: Secret, wave: 1 },
  'v1/ConfigMap': { model: ConfigMap, wave: 1 },
  'v1/PersistentVolumeClaim': { model: PersistentVolumeClaim, wave: 1 },

  'v1/LimitRange': { model: LimitRange, wave: 1 },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy, wave: 1 },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget, wave: 1 },
  // After the claims it counts: a quota whose usage is not yet computed refuses every new claim (403), and apply does not retry a 403.
  'v1/ResourceQuota': { model: ResourceQuota, wave: 2 },
  'v1/Service': { model: Service, wave: 2 },
  'apps/v1/Deployment': { model: Deployment, wave: 3 },
  'apps/v1/StatefulSet': { model: StatefulSet, wave: 3 },
  'networking.k8s.io/v1/Ingress': { model: Ingress, wave: 4 },
};

/** Order of kinds inside one wave, so output is stable and readable. */
export const KIND_ORDER = Object.keys(KINDS);

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** "Kind" for the core group, "Kind.group" otherwise (the ApplySet group-kind form). */
export function groupKind(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? kind : `${kind}.${apiVersion.slice(0, slash)}`;
}
