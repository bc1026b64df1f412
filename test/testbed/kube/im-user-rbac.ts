/**
 * What a site that lets IM deploy with its users' own tokens grants them: the
 * IdP group may create namespaces and, in them, what IM's Kubernetes
 * connector makes (Deployments, Services, PVCs, ConfigMaps, Secrets,
 * Ingresses) and reads (pods, events), and what isolates an environment
 * (NetworkPolicies, ResourceQuota, LimitRange). Without it IM's calls as alice are
 * forbidden (test/testbed/im/NOTES.md).
 */
import type { KubeObject } from '../../../main/render/types';

export const IM_USER_GROUP = 'af-users';
export const IM_USER_ROLE = 'afp-testbed-im-user';

export function imUserRbac(group = IM_USER_GROUP): KubeObject[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: IM_USER_ROLE },
      rules: [
        {
          apiGroups: [''],
          resources: ['namespaces', 'services', 'persistentvolumeclaims', 'configmaps', 'secrets', 'pods', 'pods/log', 'events'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        // What isolates an environment (NetworkPolicies, its quota and limit range) is made by whoever deploys it.
        {
          apiGroups: [''],
          resources: ['resourcequotas', 'limitranges'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
        {
          apiGroups: ['networking.k8s.io'],
          resources: ['ingresses', 'networkpolicies'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: IM_USER_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: IM_USER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    },
  ];
}
