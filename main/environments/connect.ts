/**
 * How an operation reaches its target: a kubeconfig file and context give a
 * KubeTarget, with the signed-in session for contexts that use it.
 */
import { KubeTarget, type KubeTargetOptions } from '../targets/kube/kube-target';
import type { SessionTokenSource } from '../targets/kube/session-auth';
import type { Target } from '../targets/target';

export interface TargetConnection {
  target: Target;
  context: string;
  server: string;
}

/** Opens the target for a kubeconfig file (default: KUBECONFIG, ~/.kube/config) and context (default: its current one). */
export type ConnectTarget = (choice: { kubeconfig?: string; context?: string }) => TargetConnection;

export function kubeConnector(session?: SessionTokenSource, options: Omit<KubeTargetOptions, 'kc'> = {}): ConnectTarget {
  return (choice) => {
    const target = KubeTarget.fromKubeconfig({ ...choice, ...(session === undefined ? {} : { session }) }, options);
    return { target, context: target.context, server: target.server };
  };
}
