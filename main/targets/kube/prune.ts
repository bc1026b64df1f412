/**
 * ApplySet pruning (KEP-3659), as `kubectl apply --prune --applyset` does it:
 * list every kind the parent names (old and new) by the part-of label, and
 * delete the members the new plan no longer holds. The namespace itself is
 * never pruned: deleting it would take the whole environment with it.
 */
import { ApiException } from '@kubernetes/client-node';
import { APPLYSET_PART_OF } from '../../render/applyset';
import { groupKind } from '../../render/models';
import type { KubeObject, Plan } from '../../render/types';
import { sayingOf, type ObjectOutcome, type ProgressListener } from '../kinds/target';
import { say } from '../../messages/message';
import { describeKubeError } from '../../kube/api-errors';
import { runBounded } from './bounded';
import type { KubeClient } from '../../kube/client';
import { objectLabel } from './progress-text';
import { resourcePath, type Resources } from './resources';

export interface ListedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function parseGroupKinds(annotation: string | undefined): string[] {
  return (annotation ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Kinds the parent must name while members of both plans may exist: the union, sorted. */
export function unionKinds(previous: readonly string[], next: readonly string[]): string[] {
  return [...new Set([...previous, ...next])].sort();
}

/** Members found on the server that the plan does not hold. */
export function selectPrune(
  listed: readonly ListedObject[],
  planned: readonly Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>[],
): ListedObject[] {
  const key = (apiVersion: string, kind: string, namespace: string | undefined, name: string): string =>
    `${groupKind(apiVersion, kind)}|${namespace ?? ''}|${name}`;
  const keep = new Set(planned.map((o) => key(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name)));
  return listed.filter((o) => o.kind !== 'Namespace' && !keep.has(key(o.apiVersion, o.kind, o.namespace, o.name)));
}

interface ListJson {
  items?: { metadata?: { name?: string; namespace?: string } }[];
}

export interface PruneContext {
  client: KubeClient;
  resources: Resources;
  signal: AbortSignal;
  concurrency: number;
  onProgress: ProgressListener;
}

/** Members of the set with one of `kinds`, listed by the part-of label (namespaces are not listed: never pruned). */
export async function listMembers(
  ctx: Omit<PruneContext, 'onProgress' | 'concurrency'>,
  applysetId: string,
  namespace: string,
  kinds: readonly string[],
): Promise<ListedObject[]> {
  const selector = encodeURIComponent(`${APPLYSET_PART_OF}=${applysetId}`);
  const lists = await Promise.all(
    kinds
      .filter((k) => k !== 'Namespace')
      .map(async (member) => {
        const info = await ctx.resources.lookupGroupKind(member, ctx.signal);
        const list = await ctx.client.get<ListJson>(`${resourcePath(info, namespace)}?labelSelector=${selector}`, { signal: ctx.signal });
        return (list.items ?? []).map((item) => ({
          apiVersion: info.apiVersion,
          kind: info.kind,
          name: item.metadata?.name ?? '',
          ...(item.metadata?.namespace === undefined ? {} : { namespace: item.metadata.namespace }),
        }));
      }),
  );
  return lists.flat();
}

/** Deletes one object (background propagation); one already gone counts as deleted. */
export async function deleteObject(ctx: Omit<PruneContext, 'concurrency'>, object: ListedObject): Promise<void> {
  const info = await ctx.resources.lookup(object.apiVersion, object.kind, ctx.signal);
  try {
    await ctx.client.request('DELETE', resourcePath(info, object.namespace, object.name), {
      body: { propagationPolicy: 'Background' },
      signal: ctx.signal,
    });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return;
    throw error;
  }
}

/** Lists and deletes members that left the plan; returns them with what happened to each. */
export async function prune(ctx: PruneContext, plan: Plan, previousKinds: readonly string[]): Promise<ObjectOutcome[]> {
  const kinds = unionKinds(previousKinds, plan.applyset.groupKinds);
  let listed: ListedObject[];
  try {
    listed = await listMembers(ctx, plan.applyset.id, plan.environment.namespace, kinds);
  } catch (error) {
    throw describeKubeError(error, {
      object: `members of ${plan.environment.namespace}`,
      server: ctx.client.server,
      context: ctx.client.context,
    });
  }
  const doomed = selectPrune(listed, plan.objects);
  const settled = await runBounded(doomed, ctx.concurrency, (object) => deleteObject(ctx, object), ctx.signal);
  return doomed.map((object, index) => {
    const result = settled[index];
    const label = objectLabel(object.kind, object.name);
    const outcome: ObjectOutcome = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.name,
      ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
      state: 'pruned',
    };
    if (result?.status === 'rejected') {
      outcome.state = 'failed';
      outcome.message = describeKubeError(result.reason, { object: label }).message;
    } else if (result?.status === 'skipped') {
      outcome.state = 'failed';
      outcome.message = `${label}: not pruned: cancelled`;
    }
    ctx.onProgress({
      type: 'object',
      action: outcome.state === 'pruned' ? 'pruned' : 'failed',
      kind: object.kind,
      name: object.name,
      ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
      ...(outcome.message === undefined ? {} : { message: outcome.message }),
      ...(outcome.message === undefined ? sayingOf(say('deploy.pruned', { object: label })) : { text: outcome.message }),
      at: new Date().toISOString(),
    });
    return outcome;
  });
}
