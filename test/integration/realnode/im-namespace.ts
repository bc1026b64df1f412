/**
 * The namespace IM deploys into on the bed's real nodes, for the tests that
 * go through IM or the dispatcher: prepared as a site admin would, and what
 * IM left in it once an environment is deleted.
 */
import { kubectlJson, kubectlOk } from '../../support/testbed';
import type { RealNodesEnv } from './real-node';

/**
 * IM sets no tolerations or node selector: the namespace is annotated for the API server's PodNodeSelector and
 * PodTolerationRestriction admission plugins, so every pod created in it lands on the real nodes. IM deploys
 * into it when it is there and deletes only namespaces it made, so it outlives the environment.
 */
export async function realNodeNamespace(name: string, real: RealNodesEnv): Promise<void> {
  const tolerations = real.taint === undefined ? [] : [{ key: real.taint.key, operator: 'Exists', effect: real.taint.effect }];
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        annotations: {
          'scheduler.alpha.kubernetes.io/node-selector': real.label,
          'scheduler.alpha.kubernetes.io/defaultTolerations': JSON.stringify(tolerations),
        },
      },
    }),
  });
}

/** What is left of an environment in the namespace: its pods and the objects IM creates (not the cluster's own root CA map). */
export async function leftInNamespace(name: string): Promise<string[]> {
  const left = await kubectlJson<{ items: { kind: string; metadata: { name: string } }[] }>([
    'get',
    'pods,deployments,services,persistentvolumeclaims,configmaps',
    '-n',
    name,
  ]);
  return left.items
    .filter((item) => item.kind !== 'ConfigMap' || item.metadata.name !== 'kube-root-ca.crt')
    .map((item) => `${item.kind}/${item.metadata.name}`);
}
