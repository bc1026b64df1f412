/**
 * The heavy part of the app: the Kubernetes client, its models, rendering,
 * capacity and the environments. app.ts imports this module dynamically so
 * none of it is loaded before the first paint, nor for the Catalogue (whose
 * cluster status and target marks come from catalogue-core.ts): the first
 * Configure, Review, fit, export or environments request loads it.
 */
export { CapacityViews } from './capacity-views';
export { EnvironmentsService } from './environments-service';
export { exportTarget, writeExport } from './export-plan';
export { planFor, previewPlan } from './plan-views';
export { loadKubeconfig } from '../kube/kubeconfig';
