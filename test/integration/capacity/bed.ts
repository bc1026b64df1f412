/**
 * What the capacity tests need from the test bed: the official client on the
 * admin kubeconfig, the node helpers, and pods created one at a time with the
 * real kube-scheduler's decision for each.
 */
import { CoreV1Api, KubeConfig, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminTls, testbedEnv } from '../../support/testbed';
import { KubeClient } from '../../testbed/kube/client';
import { NodeHelpers } from '../../testbed/kube/nodes';

export interface Bed {
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  nodes: NodeHelpers;
  close(): void;
}

export function openBed(): Bed {
  const env = testbedEnv();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(env.adminKubeconfig);
  const tls = adminTls();
  const client = new KubeClient({ server: env.apiServerUrl, caPem: tls.ca, clientCertPem: tls.cert, clientKeyPem: tls.key });
  return { kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api), nodes: new NodeHelpers(client), close: () => client.close() };
}

export interface SchedulerDecision {
  pod: string;
  /** The node the scheduler bound the pod to, or undefined when it left the pod Pending. */
  node?: string;
  /** The PodScheduled=False condition's message (the FailedScheduling text). */
  message?: string;
}

/** Creates the pod and waits until kube-scheduler has bound it or marked it Unschedulable. */
export async function createAndAwaitDecision(
  core: CoreV1Api,
  namespace: string,
  name: string,
  spec: V1PodSpec,
  timeoutMs = 30_000,
): Promise<SchedulerDecision> {
  const body: V1Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec };
  await core.createNamespacedPod({ namespace, body });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = await core.readNamespacedPod({ name, namespace });
    if (pod.spec?.nodeName) return { pod: name, node: pod.spec.nodeName };
    const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return { pod: name, message: scheduled.message ?? '' };
    if (Date.now() > deadline)
      throw new Error(
        `kube-scheduler decided nothing for pod ${namespace}/${name} within ${timeoutMs} ms (test bed logs: ${testbedEnv().logDir})`,
      );
    await sleep(40);
  }
}

export async function createNamespace(core: CoreV1Api, name: string): Promise<void> {
  await core.createNamespace({ body: { metadata: { name } } });
  // Pods cannot be created before the namespace's default service account exists.
  for (let i = 0; i < 300; i++) {
    try {
      await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`no default service account in namespace ${name} after 30 s`);
}

export async function deleteNamespace(core: CoreV1Api, name: string): Promise<void> {
  try {
    await core.deleteNamespace({ name, gracePeriodSeconds: 0 });
  } catch {
    // already gone
  }
}
