/**
 * The words for what IM's connector cannot create, written once: the deploy
 * gate, IM's target, the app's export and `afp export` all refuse with them.
 */
import type { CapabilityCheck } from './types';

/** "IM cannot create <name> faithfully, so nothing was sent: <object>: <reason>; …." */
export function incapableMessage(name: string, check: CapabilityCheck, nothing: 'sent' | 'written'): string {
  const refused = check.items.filter((item) => item.severity === 'refused');
  return `IM cannot create ${name} faithfully, so nothing was ${nothing}: ${refused.map((item) => `${item.object}: ${item.reason}`).join('; ')}.`;
}
