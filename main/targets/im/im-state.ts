/**
 * IM's infrastructure states (IM/VirtualMachine.py) in the app's words.
 * IM may grow states: one it does not know is Unknown, with the state named.
 */
import type { StatusPhase } from '../../inventory/record';
import { say, type Message, type MessageId } from '../../messages/message';

export interface ImPhase {
  phase: StatusPhase;
  /** In English; `said` in the user's language. */
  message: string;
  said: Message;
  /** IM will not move on by itself: stop waiting. */
  final: boolean;
}

function known(phase: StatusPhase, id: MessageId, final: boolean): ImPhase {
  const said = say(id);
  return { phase, message: said.text, said, final };
}

const KNOWN: Record<string, ImPhase> = {
  pending: known('Pending', 'imState.pending', false),
  running: known('Deploying', 'imState.running', false),
  configured: known('Ready', 'imState.configured', true),
  unconfigured: known('Degraded', 'imState.unconfigured', true),
  stopped: known('Degraded', 'imState.stopped', true),
  off: known('Degraded', 'imState.off', true),
  failed: known('Failed', 'imState.failed', true),
  deleting: known('Deleting', 'imState.deleting', false),
  unknown: known('Unknown', 'imState.unknown', false),
};

export function imStateToPhase(state: string): ImPhase {
  const found = Object.hasOwn(KNOWN, state) ? KNOWN[state] : undefined;
  if (found !== undefined) return found;
  const said = say('imState.unknownState', { state });
  return { phase: 'Unknown', message: said.text, said, final: false };
}

/**
 * "IM: running (2 configured, 1 pending)"; when every container is in the
 * infrastructure's own state, only how many: "IM: configured (3 containers)".
 */
export function imStateSaid(state: string, vmStates: Readonly<Record<string, string>>): Message {
  const states = Object.values(vmStates);
  if (states.length === 0) return say('imState.plain', { state });
  if (states.every((vm) => vm === state)) return say('imState.all', { state, count: states.length });
  return say('imState.mixed', { state, summary: vmSummary(vmStates) });
}

export function imStateText(state: string, vmStates: Readonly<Record<string, string>>): string {
  return imStateSaid(state, vmStates).text;
}

/** "2 configured, 1 pending" from IM's per-container states. */
export function vmSummary(vmStates: Readonly<Record<string, string>>): string {
  const counts = new Map<string, number>();
  for (const state of Object.values(vmStates)) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
}
