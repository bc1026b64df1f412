/**
 * Deleting an environment: its namespace when the environment owns it
 * (labelled with its id), else its ApplySet members one by one; then, when
 * asked, waiting until the server confirms that nothing is left, saying what
 * is still there while the namespace terminates.
 */
import { ApiException } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { AfpError, messageFields, toApiError } from '../../errors';
import { say, type Message } from '../../messages/message';
import { APPLYSET_GROUP_KINDS, PARENT_NAME, applysetId } from '../../render/applyset';
import { ENVIRONMENT_ID_LABEL } from '../../render/identity';
import { groupKind } from '../../render/models';
import { sayingOf, type ProgressListener, type RemoveRequest, type RemoveResult } from '../kinds/target';
import { describeKubeError } from '../../kube/api-errors';
import { runBounded } from './bounded';
import type { KubeClient } from '../../kube/client';
import { deleteObject, listMembers, parseGroupKinds, type ListedObject } from './prune';
import type { Resources } from './resources';

export interface RemoveContext {
  client: KubeClient;
  resources: Resources;
  signal: AbortSignal;
  concurrency: number;
  onProgress: ProgressListener;
  pollMs?: number;
}

interface NamespaceJson {
  metadata?: { labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type?: string; status?: string; message?: string }[] };
}

export async function removeEnvironment(ctx: RemoveContext, request: RemoveRequest, waitMs: number | undefined): Promise<RemoveResult> {
  const where = { server: ctx.client.server, context: ctx.client.context };
  try {
    const namespace = await getNamespace(ctx, request.namespace);
    if (namespace === undefined) {
      sayNamespace(ctx, request.namespace, 'gone', say('deploy.namespaceGone', { namespace: request.namespace }));
      return { outcome: 'succeeded', gone: true };
    }
    if (namespace.metadata?.labels?.[ENVIRONMENT_ID_LABEL] === request.environmentId)
      return await removeNamespace(ctx, request.namespace, namespace, waitMs);
    return await removeMembers(ctx, request, waitMs);
  } catch (error) {
    const described = describeKubeError(error, { object: `Namespace ${request.namespace}`, ...where });
    return { outcome: described.code === 'cancelled' ? 'cancelled' : 'failed', gone: false, error: toApiError(described) };
  }
}

async function getNamespace(ctx: RemoveContext, name: string): Promise<NamespaceJson | undefined> {
  try {
    return await ctx.client.get<NamespaceJson>(`/api/v1/namespaces/${encodeURIComponent(name)}`, {
      signal: ctx.signal,
      abortInFlight: true,
    });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    // May not read namespaces (a shared namespace): delete member by member.
    if (error instanceof ApiException && error.code === 403) return {};
    throw error;
  }
}

async function removeNamespace(
  ctx: RemoveContext,
  name: string,
  namespace: NamespaceJson,
  waitMs: number | undefined,
): Promise<RemoveResult> {
  if (namespace.metadata?.deletionTimestamp === undefined) {
    try {
      await ctx.client.request('DELETE', `/api/v1/namespaces/${encodeURIComponent(name)}`, {
        body: { propagationPolicy: 'Background' },
        signal: ctx.signal,
      });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 404)) throw error;
    }
  }
  sayNamespace(ctx, name, 'terminating', say('deploy.namespaceDeleting', { namespace: name }));
  if (waitMs === undefined) return { outcome: 'succeeded', gone: false };
  let last = '';
  const outcome = await pollUntil(ctx, waitMs, async () => {
    const now = await getNamespace(ctx, name);
    if (now === undefined) return true;
    const left = remaining(now);
    if (left !== last) {
      last = left;
      sayNamespace(
        ctx,
        name,
        'terminating',
        left === ''
          ? say('deploy.namespaceTerminating', { namespace: name })
          : say('deploy.namespaceTerminatingLeft', { namespace: name, left }),
      );
    }
    return false;
  });
  if (outcome === 'done') {
    sayNamespace(ctx, name, 'gone', say('deploy.namespaceGone', { namespace: name }));
    return { outcome: 'succeeded', gone: true };
  }
  return stopped(outcome, `Namespace ${name} is still terminating after ${Math.round(waitMs / 1000)} s${last === '' ? '' : `: ${last}`}`);
}

async function removeMembers(ctx: RemoveContext, request: RemoveRequest, waitMs: number | undefined): Promise<RemoveResult> {
  const id = applysetId(PARENT_NAME, request.namespace, 'Secret', '');
  const kinds = await memberKinds(ctx, request);
  const members = await listMembers(ctx, id, request.namespace, kinds);
  const parent: ListedObject = { apiVersion: 'v1', kind: 'Secret', name: PARENT_NAME, namespace: request.namespace };
  const settled = await runBounded(members, ctx.concurrency, (object) => deleteObject(ctx, object), ctx.signal);
  const failed = settled.findIndex((s) => s.status === 'rejected');
  if (failed >= 0) {
    const reason = (settled[failed] as { reason: unknown }).reason;
    const object = members[failed] as ListedObject;
    throw describeKubeError(reason, { object: `${object.kind} ${object.name}` });
  }
  if (ctx.signal.aborted) return stopped('cancelled', '');
  // The parent goes last: while members remain, it is what lets a retry find them.
  await deleteObject(ctx, parent);
  sayNamespace(
    ctx,
    request.namespace,
    'terminating',
    say('deploy.deletingMembers', { count: members.length, namespace: request.namespace }),
  );
  if (waitMs === undefined) return { outcome: 'succeeded', gone: false };
  let left = members.length;
  const outcome = await pollUntil(ctx, waitMs, async () => {
    left = (await listMembers(ctx, id, request.namespace, kinds)).length;
    return left === 0;
  });
  if (outcome === 'done') {
    sayNamespace(ctx, request.namespace, 'gone', say('deploy.membersGone', { namespace: request.namespace }));
    return { outcome: 'succeeded', gone: true };
  }
  return stopped(
    outcome,
    `${left} objects of the environment in namespace ${request.namespace} are still there after ${Math.round(waitMs / 1000)} s`,
  );
}

/** The kinds the ApplySet parent names, else those of the recorded objects. */
async function memberKinds(ctx: RemoveContext, request: RemoveRequest): Promise<string[]> {
  try {
    const parent = await ctx.client.get<{ metadata?: { annotations?: Record<string, string> } }>(
      `/api/v1/namespaces/${encodeURIComponent(request.namespace)}/secrets/${PARENT_NAME}`,
      {
        signal: ctx.signal,
      },
    );
    const kinds = parseGroupKinds(parent.metadata?.annotations?.[APPLYSET_GROUP_KINDS]);
    if (kinds.length > 0) return kinds;
  } catch (error) {
    if (!(error instanceof ApiException && error.code === 404)) throw error;
  }
  return [...new Set((request.objects ?? []).map((o) => groupKind(o.apiVersion, o.kind)))];
}

async function pollUntil(ctx: RemoveContext, waitMs: number, done: () => Promise<boolean>): Promise<'done' | 'timeout' | 'cancelled'> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await done()) return 'done';
    if (Date.now() >= deadline) return 'timeout';
    try {
      await sleep(Math.min(ctx.pollMs ?? 500, Math.max(0, deadline - Date.now())), undefined, { signal: ctx.signal });
    } catch {
      return 'cancelled';
    }
  }
}

function stopped(outcome: 'timeout' | 'cancelled', text: string): RemoveResult {
  if (outcome === 'cancelled')
    return { outcome: 'cancelled', gone: false, error: { code: 'cancelled', ...messageFields(say('deploy.stoppedDeleting')) } };
  return { outcome: 'failed', gone: false, error: new AfpError('timeout', text).toJSON() };
}

/** "pods: 3 left" from the namespace's conditions while it terminates. */
function remaining(namespace: NamespaceJson): string {
  const conditions = namespace.status?.conditions ?? [];
  const content = conditions.find((c) => c.type === 'NamespaceContentRemaining' && c.status === 'True')?.message;
  const finalizers = conditions.find((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True')?.message;
  return [content, finalizers].filter((m): m is string => m !== undefined && m !== '').join('; ');
}

function sayNamespace(ctx: RemoveContext, name: string, state: 'terminating' | 'gone', message: Message): void {
  ctx.onProgress({ type: 'namespace', name, state, ...sayingOf(message), at: new Date().toISOString() });
}
