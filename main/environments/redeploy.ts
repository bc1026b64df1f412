/**
 * An update (or a resumed deploy) of an IM or dispatcher environment. IM's
 * Kubernetes connector cannot change a running infrastructure (no resize, no
 * new replica count), so the app deletes the infrastructure it recorded and
 * creates the environment again with the new values, saying so first. When IM
 * cannot tell whether the old one is still there, nothing is sent, so that
 * no second copy is made.
 */
import { sayingOf, type ExistingEnvironment, type ProgressListener, type RemoveRequest, type Target } from '../targets/kinds/target';
import { say } from '../messages/message';
import type { Finish } from './record-steps';

export const REDEPLOY_WAIT_MS = 2 * 60_000;

/** Removes the old infrastructure; undefined when it is gone and creating may go on, else how the operation ends. */
export async function redeployInIm(
  target: Target,
  request: RemoveRequest & { infrastructureId: string },
  existing: ExistingEnvironment,
  options: { signal: AbortSignal; onProgress: ProgressListener },
): Promise<Omit<Finish, 'operationId' | 'at'> | undefined> {
  const id = request.infrastructureId;
  if (existing.presence === 'unknown') {
    return {
      outcome: 'failed',
      error: {
        code: 'unavailable',
        message: `Cannot tell whether IM still holds infrastructure ${id} (${existing.message ?? 'no answer'}); nothing was sent, so that no second copy is made. Try again when IM answers.`,
      },
    };
  }
  options.onProgress({
    type: 'phase',
    phase: 'deleting',
    ...sayingOf(say('imDeploy.redeploy', { id: id ?? '' })),
    at: new Date().toISOString(),
  });
  const removed = await target.remove(request, { ...options, waitMs: REDEPLOY_WAIT_MS });
  if (removed.outcome === 'succeeded' && removed.gone) return undefined;
  return {
    outcome: removed.outcome === 'succeeded' ? 'failed' : removed.outcome,
    error: removed.error ?? { code: 'timeout', message: `Infrastructure ${id} was not gone from IM in time; the new one was not created.` },
  };
}
