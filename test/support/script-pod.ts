/**
 * A busybox pod for a real container node, as an environment's restricted Pod
 * Security level admits it, labelled as a component: what the logs tests run
 * to have a container that writes, or one that crashes once.
 */
import { kubectlJson, testbedEnv, waitUntil } from './testbed';

export function scriptPod(name: string, script: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'app.kubernetes.io/component': name } },
    spec: {
      terminationGracePeriodSeconds: 1,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'main',
          image: testbedEnv().realNodes!.busyboxImage,
          imagePullPolicy: 'Never',
          command: ['sh', '-c', script],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          volumeMounts: [{ name: 'state', mountPath: '/state' }],
        },
      ],
      // Outlives a container's restart: the crasher crashes once, then stays up, so its previous run stays the same.
      volumes: [{ name: 'state', emptyDir: {} }],
    },
  };
}

/** Waits until the pod's container has restarted at least once (the crasher's previous run exists). */
export async function waitRestarted(namespace: string, pod: string): Promise<void> {
  await waitUntil(
    `${pod} to have restarted`,
    async () => {
      const found = await kubectlJson<{ status: { containerStatuses?: { restartCount: number }[] } }>(['get', 'pod', pod, '-n', namespace]);
      return (found.status.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
    },
    120_000,
    500,
  );
}
