/**
 * What the app needs only once a user goes past the Catalogue: the Kubernetes
 * client, its models, rendering, capacity and the environments. app.ts imports
 * this module dynamically so none of it is loaded before the first paint nor
 * while the app rests on the Catalogue, and warms it in the background once a
 * template is opened.
 */
export { CapacityViews } from './capacity-views';
export { EnvironmentsService } from './environments-service';
export { exportTarget, writeExport } from './export-plan';
export { planFor, previewPlan } from './plan-views';
export { loadKubeconfig } from '../kube/kubeconfig';
export { kubeClusters } from './kube-clusters';
export { templateTargets } from './template-targets';
