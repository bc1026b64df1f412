/**
 * What the Catalogue needs beyond its templates: the cards' target marks
 * (rendering with the templates' defaults) and the cluster status (the
 * kubeconfig's contexts). app.ts imports this module dynamically, after the
 * first paint, and apart from on-demand.ts: neither needs the Kubernetes
 * client, so an app resting on its Catalogue does not hold it (about 50 MB).
 * `npm run floors -- --check` fails if it reaches the client again.
 */
export { kubeClusters } from './kube-clusters';
export { templateTargets } from './template-targets';
