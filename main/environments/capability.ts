/** The capability check as a gate: what IM's connector cannot express stops a deploy before anything is recorded or sent. */
import { AfpError } from '../errors';
import { checkCapabilities } from '../render/tosca/render-tosca';
import type { Plan } from '../render/types';
import type { TargetRef } from '../inventory/record';

/** Throws an `unsupported` AfpError (field `target`) listing every refused item with its reason. */
export function refuseIncapable(plan: Plan, kind: TargetRef['kind']): void {
  if (kind === 'kube') return;
  const check = checkCapabilities(plan, kind);
  if (check.ok) return;
  const refused = check.items.filter((item) => item.severity === 'refused');
  throw new AfpError(
    'unsupported',
    `IM cannot create ${plan.environment.name} faithfully, so nothing was sent: ${refused.map((item) => `${item.object}: ${item.reason}`).join('; ')}.`,
    { field: 'target' },
  );
}
