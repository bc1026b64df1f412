/**
 * Kubernetes contexts are the one kind of target the app reaches itself (its
 * Secrets, container logs and watches); IM and the dispatcher keep what runs
 * inside their infrastructure. Code outside targets/ asks this instead of
 * comparing kinds, and gets the context's fields typed.
 */
export function clusterOf<T extends { kind: string }>(target: T): Extract<T, { kind: 'kube' }> | undefined {
  return target.kind === 'kube' ? (target as Extract<T, { kind: 'kube' }>) : undefined;
}
