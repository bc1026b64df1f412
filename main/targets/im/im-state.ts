/**
 * IM's infrastructure states (IM/VirtualMachine.py) in the app's words.
 * IM may grow states: one it does not know is Unknown, with the state named.
 */
import type { StatusPhase } from '../../inventory/record';

export interface ImPhase {
  phase: StatusPhase;
  message: string;
  /** IM will not move on by itself: stop waiting. */
  final: boolean;
}

const KNOWN: Record<string, ImPhase> = {
  pending: { phase: 'Pending', message: 'IM is creating the containers, or they wait to be scheduled', final: false },
  running: { phase: 'Deploying', message: 'the containers run; IM has not finished configuring them', final: false },
  configured: { phase: 'Ready', message: 'ready to use', final: true },
  unconfigured: { phase: 'Degraded', message: 'the containers run but IM could not configure them', final: true },
  stopped: { phase: 'Degraded', message: 'stopped in IM', final: true },
  off: { phase: 'Degraded', message: 'switched off in IM', final: true },
  failed: { phase: 'Failed', message: 'IM reports the infrastructure failed', final: true },
  deleting: { phase: 'Deleting', message: 'IM is deleting it', final: false },
  unknown: { phase: 'Unknown', message: 'IM cannot tell the state of the containers', final: false },
};

export function imStateToPhase(state: string): ImPhase {
  const known = Object.hasOwn(KNOWN, state) ? KNOWN[state] : undefined;
  return known ?? { phase: 'Unknown', message: `IM answered a state the app does not know: "${state}"`, final: false };
}

/**
 * "IM: running (2 configured, 1 pending)"; when every container is in the
 * infrastructure's own state, only how many: "IM: configured (3 containers)".
 */
export function imStateText(state: string, vmStates: Readonly<Record<string, string>>): string {
  const states = Object.values(vmStates);
  if (states.length === 0) return `IM: ${state}`;
  if (states.every((vm) => vm === state)) return `IM: ${state} (${states.length} container${states.length === 1 ? '' : 's'})`;
  return `IM: ${state} (${vmSummary(vmStates)})`;
}

/** "2 configured, 1 pending" from IM's per-container states. */
export function vmSummary(vmStates: Readonly<Record<string, string>>): string {
  const counts = new Map<string, number>();
  for (const state of Object.values(vmStates)) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ');
}
