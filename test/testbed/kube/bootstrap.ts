/**
 * What a fresh cluster of a real site has before anyone deploys: a default
 * StorageClass (host-path provisioning by the controller manager) and a
 * cluster-admin service account whose token servers like IM and the
 * dispatcher use as their Kubernetes credential, and the IdP group's grant to
 * deploy through IM with the users' own tokens.
 */
import type { KubeClient } from './client';
import { imUserRbac } from './im-user-rbac';

export const ADMIN_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'afp-testbed-admin' } as const;
export const DEFAULT_STORAGE_CLASS = 'standard';

export async function bootstrapCluster(kube: KubeClient): Promise<void> {
  await kube.ensure('/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubernetes.io/host-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  });
  const { namespace, name } = ADMIN_SERVICE_ACCOUNT;
  await kube.ensure(`/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  await kube.ensure('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', namespace, name }],
  });
  const [role, binding] = imUserRbac();
  await kube.ensure('/apis/rbac.authorization.k8s.io/v1/clusterroles', role);
  await kube.ensure('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding);
}

/** A bound token for the admin service account, valid for `seconds`. */
export async function adminToken(kube: KubeClient, seconds = 7 * 24 * 3600): Promise<string> {
  const { namespace, name } = ADMIN_SERVICE_ACCOUNT;
  const answer = await kube.post<{ status: { token: string } }>(`/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: seconds },
  });
  return answer.status.token;
}
