/** The kinds of target, listed once: a kubeconfig context, IM, the site's dispatcher (what varies between them: main/targets/kinds/traits.ts). */
export const TARGETS = ['kube', 'im', 'dispatcher'] as const;
export type TargetKind = (typeof TARGETS)[number];
