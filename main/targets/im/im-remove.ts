/**
 * Deleting an environment's infrastructure and reading whether one exists,
 * both by the id the inventory recorded. IM deletes synchronously; a 404
 * means it is already gone, which is what was asked.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AfpError, toApiError } from '../../errors';
import type { ExistingEnvironment, RemoveOptions, RemoveRequest, RemoveResult } from '../kinds/target';
import type { ImClient } from './im-client';
import { guarded, say } from './im-apply';
import { say as message } from '../../messages/message';

const DEFAULT_BUSY_WAIT_MS = 60_000;

export async function removeThroughIm(
  client: ImClient,
  request: RemoveRequest,
  options: RemoveOptions,
  pollMs: number,
): Promise<RemoveResult> {
  const emit = guarded(options.onProgress);
  const id = request.infrastructureId;
  if (id === undefined) {
    say(emit, 'done', message('imDeploy.nothingRecorded', { environment: request.environmentId }));
    return { outcome: 'succeeded', gone: true };
  }
  say(emit, 'deleting', message('imDeploy.deleting', { id }));
  // IM refuses a delete (409) while it is still creating the infrastructure: ask again until it lets us, within the wait.
  const busyUntil = Date.now() + (options.waitMs ?? DEFAULT_BUSY_WAIT_MS);
  // IM builds and deletes a container in seconds: ask more often than its state refresh.
  const stepMs = Math.min(pollMs, 2000);
  try {
    let existed: boolean;
    for (;;) {
      try {
        ({ existed } = await client.remove(id, {
          signal: options.signal,
          onRetry: (error) => say(emit, 'deleting', message('imDeploy.deleteRetrying', { problem: error.said ?? error.message })),
        }));
        break;
      } catch (error) {
        if (!(error instanceof AfpError && error.code === 'conflict') || Date.now() + stepMs > busyUntil) throw error;
        say(emit, 'deleting', message('imDeploy.stillCreating', { id }));
        await sleep(stepMs, undefined, { signal: options.signal });
      }
    }
    if (!existed) {
      say(emit, 'done', message('imDeploy.alreadyGone', { id }));
      return { outcome: 'succeeded', gone: true };
    }
    if (options.waitMs === undefined) {
      say(emit, 'done', message('imDeploy.deleted', { id }));
      return { outcome: 'succeeded', gone: true };
    }
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      try {
        const { state } = await client.state(id, { signal: options.signal });
        if (Date.now() > deadline)
          return {
            outcome: 'failed',
            gone: false,
            error: { code: 'timeout', message: `Infrastructure ${id} is still there after the delete (IM says ${state}).` },
          };
      } catch (error) {
        const shape = toApiError(error);
        if (shape.code !== 'not_found') throw error;
        say(emit, 'done', message('imDeploy.deleted', { id }));
        return { outcome: 'succeeded', gone: true };
      }
      await sleep(stepMs, undefined, { signal: options.signal });
    }
  } catch (error) {
    const shape = options.signal.aborted
      ? { code: 'cancelled' as const, message: `Cancelled while deleting infrastructure ${id}.` }
      : toApiError(error);
    return { outcome: shape.code === 'cancelled' ? 'cancelled' : 'failed', gone: false, error: shape };
  }
}

export async function existingInIm(
  client: ImClient,
  infrastructureId: string | undefined,
  signal: AbortSignal,
): Promise<ExistingEnvironment> {
  if (infrastructureId === undefined) return { presence: 'absent', secrets: {} };
  try {
    const { state } = await client.state(infrastructureId, { signal });
    return {
      presence: state === 'deleting' ? 'deleting' : 'ours',
      secrets: {},
      message: `IM holds infrastructure ${infrastructureId} (${state}).`,
    };
  } catch (error) {
    const shape = toApiError(error);
    if (shape.code === 'not_found')
      return { presence: 'absent', secrets: {}, message: `IM no longer knows infrastructure ${infrastructureId}.` };
    return { presence: 'unknown', secrets: {}, message: shape.message };
  }
}
