/**
 * Who owns an environment (its hub's admin, the one whose credentials the app
 * reveals): decided once at deploy and kept in the record, so an update made
 * later, signed in or not, renders the same owner.
 */
import { loadKubeconfig } from '../kube/kubeconfig';
import type { EnvironmentRecord, TargetRef } from '../inventory/record';
import { clusterOf } from '../targets/kinds/cluster-of';

/** At deploy: the signed-in user's name, else the kubeconfig context's user, else none (the renderer's default). */
export function ownerAtDeploy(signedIn: string | undefined, target: TargetRef): string | undefined {
  if (signedIn !== undefined) return signedIn;
  const cluster = clusterOf(target);
  if (cluster === undefined) return undefined;
  try {
    const kubeconfig = loadKubeconfig({ file: cluster.kubeconfig });
    return kubeconfig.contexts.find((context) => context.name === cluster.context)?.user || undefined;
  } catch {
    return undefined;
  }
}

/** At update and resume: the recorded owner, else whoever acts now (records from before owners were kept). */
export function ownerOf(record: EnvironmentRecord, signedIn: string | undefined): string | undefined {
  return record.owner ?? signedIn;
}
