/**
 * When a Deployment or StatefulSet has finished rolling out, judged as
 * `kubectl rollout status` judges it: the controller has seen the latest spec,
 * every replica runs it, no old replica is left, and all are available.
 * Pure over a small projection of the object.
 */
import type { RawObject } from '../../kube/kube-list';
import { say, type Message } from '../../messages/message';

export interface RolloutFacts {
  uid: string;
  resourceVersion: string;
  namespace?: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  component?: string;
  desired: number;
  /** Replicas of any revision (old ones included). */
  replicas: number;
  updated: number;
  ready: number;
  available: number;
  generation: number;
  observedGeneration: number;
  currentRevision?: string;
  updateRevision?: string;
  /** Progressing=False (ProgressDeadlineExceeded): the controller gave up. */
  stalled?: string;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const num = (value: unknown, fallback = 0): number => (typeof value === 'number' ? value : fallback);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function projectRollout(kind: 'Deployment' | 'StatefulSet'): (raw: RawObject) => RolloutFacts {
  return (raw) => {
    const meta = obj(raw.metadata);
    const spec = obj(raw.spec);
    const status = obj(raw.status);
    const progressing = (Array.isArray(status.conditions) ? status.conditions.map(obj) : []).find((c) => c.type === 'Progressing');
    const facts: RolloutFacts = {
      uid: str(meta.uid) ?? '',
      resourceVersion: str(meta.resourceVersion) ?? '',
      name: str(meta.name) ?? '',
      kind,
      desired: num(spec.replicas, 1),
      replicas: num(status.replicas),
      updated: num(status.updatedReplicas),
      ready: num(status.readyReplicas),
      available: num(status.availableReplicas, kind === 'StatefulSet' ? num(status.readyReplicas) : 0),
      generation: num(meta.generation),
      observedGeneration: num(status.observedGeneration),
    };
    const namespace = str(meta.namespace);
    if (namespace !== undefined) facts.namespace = namespace;
    const component = str(obj(meta.labels)['app.kubernetes.io/component']);
    if (component !== undefined) facts.component = component;
    const currentRevision = str(status.currentRevision);
    if (currentRevision !== undefined) facts.currentRevision = currentRevision;
    const updateRevision = str(status.updateRevision);
    if (updateRevision !== undefined) facts.updateRevision = updateRevision;
    if (progressing?.status === 'False') facts.stalled = str(progressing.message) ?? str(progressing.reason) ?? 'not progressing';
    return facts;
  };
}

export interface RolloutState {
  done: boolean;
  /** What it waits for, in a few words, when not done. */
  waiting?: Message;
}

export function rolloutState(w: RolloutFacts): RolloutState {
  if (w.stalled !== undefined) return { done: false, waiting: say('rollout.stalled', { why: w.stalled }) };
  if (w.observedGeneration < w.generation) return { done: false, waiting: say('rollout.controller') };
  if (w.updated < w.desired) return { done: false, waiting: say('rollout.updated', { updated: w.updated, desired: w.desired }) };
  if (w.kind === 'Deployment' && w.replicas > w.updated)
    return { done: false, waiting: say('rollout.oldPods', { count: w.replicas - w.updated }) };
  if (
    w.kind === 'StatefulSet' &&
    w.updateRevision !== undefined &&
    w.currentRevision !== undefined &&
    w.updateRevision !== w.currentRevision
  )
    return { done: false, waiting: say('rollout.rollingOut') };
  // More ready than wanted: pods of a scale-down still on their way out.
  if (w.ready > w.desired) return { done: false, waiting: say('rollout.stopping', { count: w.ready - w.desired }) };
  if (w.ready < w.desired || w.available < w.desired) return { done: false };
  return { done: true };
}
