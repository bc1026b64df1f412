/**
 * Server-side apply conflicts in plain words: which field, which other field
 * manager owns it. Read from the 409 Status' causes, as kubectl prints them.
 */
import { ApiException } from '@kubernetes/client-node';

export interface FieldConflict {
  /** e.g. .spec.replicas */
  field: string;
  /** e.g. kubectl-scale */
  manager: string;
}

interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** The conflicts of a 409 from server-side apply; empty for any other error. */
export function conflictsOf(error: unknown): FieldConflict[] {
  if (!(error instanceof ApiException) || error.code !== 409) return [];
  const body: unknown = typeof error.body === 'string' ? safeJson(error.body) : error.body;
  const causes = (body as { details?: { causes?: StatusCause[] } } | undefined)?.details?.causes ?? [];
  return causes
    .filter((cause) => cause.reason === 'FieldManagerConflict')
    .map((cause) => ({
      field: cause.field ?? '(unknown field)',
      manager: /conflict with "([^"]+)"/.exec(cause.message ?? '')?.[1] ?? '(another manager)',
    }));
}

/** "Deployment worker: .spec.replicas is managed by "kubectl-scale" …" */
export function conflictText(object: string, conflicts: readonly FieldConflict[]): string {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const parts = [...byManager].map(
    ([manager, fields]) => `${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} managed by "${manager}"`,
  );
  return `${object}: ${parts.join('; ')} — changed outside AF Provisioner. Apply again with "force conflicts" to take ${conflicts.length === 1 ? 'it' : 'them'} over.`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
