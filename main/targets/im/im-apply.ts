/**
 * Creating an environment through IM (directly or by the dispatcher): the
 * capability check first (refused items stop it before anything is sent), the
 * TOSCA posted, the infrastructure id reported at once, then IM's state
 * followed until it is final or the wait ends. IM being down while we wait is
 * a pause, not a failure.
 */
import { incapableMessage } from '../../render/tosca/refusal';
import { setTimeout as sleep } from 'node:timers/promises';
import { toApiError, type AfpError, type ApiErrorShape } from '../../errors';
import { checkCapabilities } from '../../render/tosca/render-tosca';
import type { CapabilityCheck } from '../../render/tosca/types';
import type { KubeObject, Plan } from '../../render/types';
import { IM_MIN_INTERVAL_MS } from '../../tracking/status-source';
import {
  sayingOf,
  type ApplyOptions,
  type ApplyResult,
  type ObjectOutcome,
  type ProgressEvent,
  type ProgressListener,
  type ReadinessSummary,
} from '../kinds/target';
import { errorParam } from '../../errors';
import { say as message, type Message } from '../../messages/message';
import type { ImClient, Infrastructure } from './im-client';
import { imStateSaid, imStateToPhase } from './im-state';
import { contmsgTail } from './logs';

export interface ImApplySteps {
  /** Who creates it, in progress text ("IM at …", "the dispatcher at …"). */
  via: Message;
  tosca: (plan: Plan) => string;
  create: (
    tosca: string,
    options: { signal: AbortSignal; onRetry: (error: AfpError, attempt: number, delayMs: number) => void },
  ) => Promise<Infrastructure>;
  /** The IM client that can read state; undefined when the site offers no way to follow the infrastructure. */
  follow: ImClient | undefined;
  pollMs?: number;
}

export async function applyThroughIm(plan: Plan, options: ApplyOptions, steps: ImApplySteps): Promise<ApplyResult> {
  const emit = guarded(options.onProgress);
  const check = checkCapabilities(plan);
  const planned = plan.objects.map((object) => outcomeOf(object, 'planned'));
  const result = (outcome: ApplyResult['outcome'], extra: Partial<ApplyResult> = {}, objects = planned): ApplyResult => ({
    outcome,
    objects,
    pruned: [],
    ...extra,
  });
  if (!check.ok) return result('failed', { error: refusal(plan, check) });

  let tosca: string;
  try {
    tosca = steps.tosca(plan);
  } catch (error) {
    return result('failed', { error: toApiError(error) });
  }
  say(emit, 'applying', message('imDeploy.sending', { name: plan.environment.name, via: steps.via }));
  let infrastructure: Infrastructure;
  try {
    infrastructure = await steps.create(tosca, {
      signal: options.signal,
      onRetry: (error, attempt, delayMs) =>
        say(
          emit,
          'applying',
          message('imDeploy.retrying', {
            problem: error.said ?? error.message,
            seconds: Math.round(delayMs / 100) / 10,
            attempt: attempt + 1,
          }),
        ),
    });
  } catch (error) {
    const shape = toApiError(error);
    return result(shape.code === 'cancelled' ? 'cancelled' : 'failed', { error: shape });
  }
  emit({
    type: 'infrastructure',
    id: infrastructure.id,
    uri: infrastructure.uri,
    ...sayingOf(message('imDeploy.accepted', { via: steps.via, id: infrastructure.id })),
    at: now(),
  });
  const objects = plan.objects.map((object) => outcomeOf(object, object.kind === 'Secret' ? 'planned' : 'applied'));

  if (options.waitForReadyMs === undefined) {
    say(emit, 'done', message('imDeploy.creating', { via: steps.via, id: infrastructure.id }));
    return result('succeeded', {}, objects);
  }
  if (steps.follow === undefined) {
    const why = message('imDeploy.notFollowed');
    say(emit, 'done', message('imDeploy.createdNotFollowed', { id: infrastructure.id, why }));
    return result('succeeded', { readiness: { ready: false, text: why.text, said: why } }, objects);
  }
  say(emit, 'waiting', message('imDeploy.waiting', { id: infrastructure.id }));
  const waited = await waitFinal(
    steps.follow,
    infrastructure.id,
    options.waitForReadyMs,
    steps.pollMs ?? IM_MIN_INTERVAL_MS,
    options.signal,
    emit,
  );
  if (waited.outcome === 'succeeded')
    say(emit, 'done', message('deploy.ready', { readiness: waited.readiness.said ?? waited.readiness.text }));
  return result(waited.outcome, { readiness: waited.readiness, ...(waited.error === undefined ? {} : { error: waited.error }) }, objects);
}

interface Waited {
  outcome: ApplyResult['outcome'];
  readiness: ReadinessSummary;
  error?: ApiErrorShape;
}

/** Polls IM's state (never faster than pollMs) until it is final, the time is up or the signal aborts. */
async function waitFinal(
  client: ImClient,
  id: string,
  waitMs: number,
  pollMs: number,
  signal: AbortSignal,
  emit: ProgressListener,
): Promise<Waited> {
  const deadline = Date.now() + waitMs;
  let last: Message = message('imDeploy.noAnswer');
  let lastSaid = '';
  const stillAt = (): ReadinessSummary => ({ ready: false, text: last.text, said: last });
  for (;;) {
    try {
      const { state, vmStates } = await client.state(id, { signal });
      const phase = imStateToPhase(state);
      const total = Object.keys(vmStates).length;
      const configured = Object.values(vmStates).filter((vm) => vm === 'configured').length;
      last = imStateSaid(state, vmStates);
      if (last.text !== lastSaid) {
        emit({
          type: 'workload',
          kind: 'Infrastructure',
          name: id,
          ready: configured,
          desired: total,
          ...sayingOf(message('imDeploy.stateLine', { state: last, meaning: phase.said })),
          at: now(),
        });
        lastSaid = last.text;
      }
      if (phase.final) {
        if (phase.phase === 'Ready') {
          const ready = total === 0 ? last : message('imDeploy.configured', { configured, total });
          return { outcome: 'succeeded', readiness: { ready: true, text: ready.text, said: ready } };
        }
        const log = await contmsgTail(client, id, signal);
        return {
          outcome: 'failed',
          readiness: stillAt(),
          error: {
            code: 'unavailable',
            message: `Infrastructure ${id}: ${phase.message} (${last.text})${log === '' ? '' : `. IM's log ends: ${log}`}`,
          },
        };
      }
    } catch (error) {
      const shape = toApiError(error);
      if (shape.code === 'cancelled' || signal.aborted)
        return {
          outcome: 'cancelled',
          readiness: stillAt(),
          error: { code: 'cancelled', message: `Stopped waiting; IM keeps infrastructure ${id}. Last seen: ${last.text}` },
        };
      if (shape.code === 'not_found')
        return {
          outcome: 'failed',
          readiness: stillAt(),
          error: { code: 'not_found', message: `Infrastructure ${id} is gone from IM (deleted there?) while waiting for it.` },
        };
      if (shape.code === 'unauthorized' || shape.code === 'forbidden') return { outcome: 'failed', readiness: stillAt(), error: shape };
      // IM down or slow: the infrastructure goes on without us; say so and ask again.
      const said = message('imDeploy.askingAgain', { problem: shape.id === undefined ? shape.message : errorParam(shape) });
      if (said.text !== lastSaid) say(emit, 'waiting', said);
      lastSaid = said.text;
    }
    const left = deadline - Date.now();
    if (left <= 0)
      return {
        outcome: 'failed',
        readiness: stillAt(),
        error: { code: 'timeout', message: `Not configured after ${Math.round(waitMs / 1000)} s: ${last.text}` },
      };
    try {
      await sleep(Math.min(pollMs, left), undefined, { signal });
    } catch {
      return {
        outcome: 'cancelled',
        readiness: stillAt(),
        error: { code: 'cancelled', message: `Stopped waiting; IM keeps infrastructure ${id}. Last seen: ${last.text}` },
      };
    }
  }
}

export function refusal(plan: Plan, check: CapabilityCheck): ApiErrorShape {
  return { code: 'unsupported', message: incapableMessage(plan.environment.name, check, 'sent') };
}

function outcomeOf(object: KubeObject, state: ObjectOutcome['state']): ObjectOutcome {
  const outcome: ObjectOutcome = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, state };
  if (object.metadata.namespace !== undefined) outcome.namespace = object.metadata.namespace;
  if (object.kind === 'Secret' && state === 'planned')
    outcome.message = "not created: IM's connector creates no Secret of its own; its values are written where the containers use them";
  else if (state === 'applied' && object.kind !== 'Namespace') outcome.message = 'created by IM under a name of its own';
  return outcome;
}

/** A phase line: a message (said in the user's language), or IM's own words as they came. */
export function say(
  emit: ProgressListener,
  phase: 'connecting' | 'applying' | 'waiting' | 'deleting' | 'done',
  said: Message | string,
): void {
  emit({ type: 'phase', phase, ...(typeof said === 'string' ? { text: said } : sayingOf(said)), at: now() });
}

/** A listener that throws must not break the operation. */
export function guarded(listener: ProgressListener): ProgressListener {
  return (event: ProgressEvent) => {
    try {
      listener(event);
    } catch {
      // the listener's owner sees its own failure
    }
  };
}

function now(): string {
  return new Date().toISOString();
}
