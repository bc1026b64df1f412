/**
 * The Deploy page's lines: what it heard live, merged with the history it asks
 * for when it opens (lines sent before it listened, on a busy machine the
 * first ones). Each line carries its place in the operation (`seq`), so
 * neither source repeats or reorders the other.
 */
import type { AppEvent } from '../../main/api';

export type Progress = Extract<AppEvent, { type: 'operation.progress' }>;

export interface ComponentProgress {
  ready: number;
  desired: number;
}

/** The lines shown: at most `max`, the newest, in the operation's order. */
export const MAX_LINES = 500;

export function mergeLines(heard: readonly Progress[], history: readonly Progress[], max = MAX_LINES): Progress[] {
  const bySeq = new Map<number, Progress>();
  for (const line of history) bySeq.set(line.seq, line);
  for (const line of heard) bySeq.set(line.seq, line);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-max);
}

/** Each component's ready/desired from its latest workload line; `imLabel` names IM's one infrastructure. */
export function foldComponents(
  start: Readonly<Record<string, ComponentProgress>>,
  lines: readonly Progress[],
  imLabel: string,
): Record<string, ComponentProgress> {
  const components = { ...start };
  for (const { subject } of lines) {
    if (subject.type !== 'workload' || subject.name === undefined) continue;
    // IM reports one infrastructure (named by a long id) whose containers get configured.
    const label = subject.kind === 'Infrastructure' ? imLabel : (subject.component ?? subject.name);
    components[label] = { ready: subject.ready ?? 0, desired: subject.desired ?? 0 };
  }
  return components;
}
