/**
 * At start-up: what happened to each environment while the app was closed.
 * Compares the status each record last stored with what its target shows now.
 */
import type { Inventory } from '../inventory/inventory';
import type { StatusPhase } from '../inventory/record';
import type { EnvironmentTracker } from './tracker';

export interface ReconcileChange {
  environmentId: string;
  name: string;
  from: StatusPhase;
  to: StatusPhase;
  message?: string;
  /** "env-x: Ready → Gone: Namespace env-x was deleted outside the app." */
  text: string;
}

/**
 * Starts the tracker (if it was not), waits until every environment has been
 * observed once (or `timeoutMs`), and returns the phase changes. Targets that
 * did not answer in time stay as stored and are named in `unanswered`.
 */
export async function reconcile(
  inventory: Inventory,
  tracker: EnvironmentTracker,
  options: { timeoutMs?: number } = {},
): Promise<{ changes: ReconcileChange[]; unanswered: string[] }> {
  const before = new Map(inventory.list().map((r) => [r.id, { name: r.name, phase: r.status.phase }]));
  tracker.start();
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!tracker.allObserved() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  tracker.flush(true);
  const changes: ReconcileChange[] = [];
  const unanswered: string[] = [];
  for (const [id, was] of before) {
    const view = tracker.view(id);
    if (view === undefined) continue;
    if (!tracker.isObserved(id)) {
      unanswered.push(was.name);
      continue;
    }
    if (view.status.phase === was.phase) continue;
    const message = view.status.message;
    changes.push({
      environmentId: id,
      name: was.name,
      from: was.phase,
      to: view.status.phase,
      ...(message === undefined ? {} : { message }),
      text: `${was.name}: ${was.phase} → ${view.status.phase}${message === undefined ? '' : `: ${message}`}`,
    });
  }
  return { changes, unanswered };
}
