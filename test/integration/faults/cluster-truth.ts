/**
 * The cluster as kubectl sees it, against what an inventory record claims:
 * the fault and crash tests judge the app by the true state, never by its own
 * word.
 */
import type { EnvironmentRecord } from '../../../main/inventory/record';
import { kubectl, type KubectlResult } from '../../support/testbed';

/** kubectl against one bed: the shared one by default, or a private bed's. */
export type Kubectl = (args: string[]) => Promise<KubectlResult>;

interface Listed {
  items: { kind: string; metadata: { name: string } }[];
}

/** Objects the record says are applied that the cluster does not have (one kubectl call per scope). */
export async function missingFromCluster(record: EnvironmentRecord | undefined, run: Kubectl = (args) => kubectl(args)): Promise<string[]> {
  if (record === undefined) return ['(no record)'];
  const applied = record.objects.filter((o) => o.state === 'applied');
  const missing: string[] = [];
  const scoped = applied.filter((o) => o.namespace !== undefined);
  const clusterWide = applied.filter((o) => o.namespace === undefined);
  for (const object of clusterWide) {
    if ((await run(['get', object.kind.toLowerCase(), object.name])).code !== 0) missing.push(`${object.kind}/${object.name}`);
  }
  const byNamespace = new Map<string, typeof scoped>();
  for (const object of scoped) byNamespace.set(object.namespace!, [...(byNamespace.get(object.namespace!) ?? []), object]);
  for (const [namespace, objects] of byNamespace) {
    const kinds = [...new Set(objects.map((o) => o.kind.toLowerCase()))];
    const result = await run(['get', kinds.join(','), '-n', namespace, '-o', 'json']);
    if (result.code !== 0) throw new Error(`kubectl get ${kinds.join(',')} -n ${namespace}: ${result.stderr.trim()}`);
    const present = new Set((JSON.parse(result.stdout) as Listed).items.map((item) => `${item.kind}/${item.metadata.name}`));
    for (const object of objects) if (!present.has(`${object.kind}/${object.name}`)) missing.push(`${object.kind}/${object.name}`);
  }
  return missing;
}

/** Whether the namespace exists (Terminating counts as existing). */
export async function namespaceExists(name: string, run: Kubectl = (args) => kubectl(args)): Promise<boolean> {
  return (await run(['get', 'namespace', name])).code === 0;
}
