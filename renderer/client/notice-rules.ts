/**
 * What deserves a desktop notification, from the contract's events: an
 * operation's end (deploy or update Ready, anything failed) and later changes
 * of live status (Ready again, or Failed / Degraded after Ready). Each change
 * once: a Ready already told by the operation is not told again by the batch.
 */
import type { AppEvent, MessageParams } from '../../main/api';

/** What went wrong in English, with its id and parameters when the core worded it (said in the user's language). */
interface Words {
  message: string;
  id?: string;
  params?: MessageParams;
}

export type Notice =
  | { kind: 'ready'; environmentId: string }
  | ({ kind: 'failed'; environmentId: string; what: 'deploy' | 'update' | 'delete' } & Words)
  | ({ kind: 'degraded'; environmentId: string } & Words);

function words(said: { message?: string | undefined; id?: string | undefined; params?: MessageParams | undefined } | undefined): Words {
  return {
    message: said?.message ?? '',
    ...(said?.id === undefined ? {} : { id: said.id }),
    ...(said?.params === undefined ? {} : { params: said.params }),
  };
}

export class NoticeRules {
  private readonly phases = new Map<string, string>();
  private readonly told = new Map<string, string>();

  notices(event: AppEvent): Notice[] {
    if (event.type === 'operation.done') {
      if (event.outcome === 'failed')
        return this.tell(event.environmentId, 'Failed', {
          kind: 'failed',
          environmentId: event.environmentId,
          what: event.kind,
          ...words(event.error),
        });
      if (event.outcome === 'succeeded' && event.kind !== 'delete')
        return this.tell(event.environmentId, 'Ready', { kind: 'ready', environmentId: event.environmentId });
      return [];
    }
    if (event.type !== 'environments.batch') return [];
    const out: Notice[] = [];
    for (const delta of event.deltas) {
      const phase = delta.status?.phase;
      if (phase === undefined) continue;
      const before = this.phases.get(delta.environmentId);
      this.phases.set(delta.environmentId, phase);
      if (before === undefined || before === phase) continue;
      if (phase !== 'Ready' && this.told.get(delta.environmentId) === 'Ready') this.told.delete(delta.environmentId);
      if (phase === 'Ready') out.push(...this.tell(delta.environmentId, 'Ready', { kind: 'ready', environmentId: delta.environmentId }));
      else if (before === 'Ready' && (phase === 'Failed' || phase === 'Degraded'))
        out.push(
          ...this.tell(delta.environmentId, phase, {
            kind: 'degraded',
            environmentId: delta.environmentId,
            ...words(delta.status),
          }),
        );
    }
    return out;
  }

  private tell(environmentId: string, phase: string, notice: Notice): Notice[] {
    if (this.told.get(environmentId) === phase) return [];
    this.told.set(environmentId, phase);
    return [notice];
  }
}
