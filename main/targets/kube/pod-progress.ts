/**
 * Where a pod is on its way to ready, from what the API says of it (status,
 * and events the status does not carry: the scheduler's FailedScheduling
 * text, the kubelet's Pulling). Pure.
 */
import type { EventFacts, PodFacts } from '../../tracking/kube-objects';
import type { PodState } from '../kinds/target';
import { say, type Message } from '../../messages/message';
import { podSaid, reasonSaid } from './progress-text';

export interface PodProgress {
  name: string;
  component?: string;
  state: PodState;
  reason?: string;
  message?: string;
  node?: string;
  restarts: number;
  /** The one-line text of this state, in English; `said` says it in the user's language. */
  text: string;
  said: Message;
}

/** What events told about a pod so far (latest of each kind). */
export interface PodEventNotes {
  failedScheduling?: string;
  pulling?: string;
}

/**
 * Takes one event into the notes kept per pod; returns the pod's name when its
 * notes changed (an older event never overrides a newer one).
 */
export function noteEvent(notes: Map<string, PodEventNotes & { seen?: Record<string, string> }>, event: EventFacts): string | undefined {
  if (event.object.kind !== 'Pod') return undefined;
  const key = event.reason === 'FailedScheduling' ? 'failedScheduling' : event.reason === 'Pulling' ? 'pulling' : undefined;
  if (key === undefined) return undefined;
  const entry = notes.get(event.object.name) ?? {};
  const seen = entry.seen ?? {};
  if ((seen[key] ?? '') > event.lastSeen || entry[key] === event.message) return undefined;
  notes.set(event.object.name, { ...entry, [key]: event.message, seen: { ...seen, [key]: event.lastSeen } });
  return event.object.name;
}

export function podProgress(pod: PodFacts, notes: PodEventNotes = {}): PodProgress {
  const base = {
    name: pod.name,
    restarts: pod.restarts,
    ...(pod.component === undefined ? {} : { component: pod.component }),
    ...(pod.nodeName === undefined ? {} : { node: pod.nodeName }),
  };
  const make = (state: PodState, reason?: string, message?: string): PodProgress => {
    const detail = { ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }) };
    const said = podSaid(pod.name, state, {
      ...detail,
      restarts: pod.restarts,
      ...(pod.nodeName === undefined ? {} : { node: pod.nodeName }),
    });
    return { ...base, state, ...detail, text: said.text, said };
  };
  const problem = pod.problems[0];
  if (pod.phase === 'Failed') return make('failed', pod.reason ?? problem?.reason, pod.message ?? problem?.message);
  if (problem !== undefined) return make('waiting', problem.reason, problem.message);
  if (pod.ready) return make('ready');
  if (pod.phase === 'Running') return make('running');
  if (pod.nodeName === undefined) {
    const why = notes.failedScheduling ?? pod.unschedulable;
    return why === undefined ? make('pending') : make('unschedulable', 'FailedScheduling', why);
  }
  if (notes.pulling !== undefined) return make('pulling', 'Pulling', notes.pulling);
  return make('scheduled');
}

/** The line a readiness report shows for a pod that is not fine, or undefined. */
export function podProblemSaid(progress: PodProgress): Message | undefined {
  const pod = progress.name;
  switch (progress.state) {
    case 'unschedulable':
      return say('pod.pendingWhy', { pod, why: progress.message ?? say('pod.noNodeFits') });
    case 'waiting':
    case 'failed':
      return say('pod.waiting', { pod, reason: reasonSaid(progress.reason ?? 'Waiting', progress.message, progress.restarts) });
    case 'pending':
      return say('pod.pendingOnly', { pod });
    default:
      return undefined;
  }
}

export function podProblemLine(progress: PodProgress): string | undefined {
  return podProblemSaid(progress)?.text;
}
