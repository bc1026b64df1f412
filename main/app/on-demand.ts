/**
 * The heavy part of the app: the Kubernetes client, its models, rendering,
 * capacity and the environments. app.ts imports this module dynamically so
 * none of it is loaded before the first paint; the Catalogue's cluster status
 * and target marks load it right after.
 */
export { CapacityViews } from './capacity-views';
export { EnvironmentsService } from './environments-service';
export { exportTarget, writeExport } from './export-plan';
export { planFor, previewPlan } from './plan-views';
export { loadKubeconfig } from '../kube/kubeconfig';
export { kubeClusters } from './kube-clusters';
export { templateTargets } from './template-targets';
