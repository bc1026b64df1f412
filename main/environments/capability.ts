/** The capability check as a gate: what IM's connector cannot express stops a deploy before anything is recorded or sent. */
import { AfpError } from '../errors';
import { incapableMessage } from '../render/tosca/refusal';
import { checkCapabilities } from '../render/tosca/render-tosca';
import type { Plan } from '../render/types';
import type { TargetRef } from '../tracking/record';

/** Throws an `unsupported` AfpError (field `target`) listing every refused item with its reason. */
export function refuseIncapable(plan: Plan, kind: TargetRef['kind']): void {
  if (kind === 'kube') return;
  const check = checkCapabilities(plan, kind);
  if (check.ok) return;
  throw new AfpError('unsupported', incapableMessage(plan.environment.name, check, 'sent'), { field: 'target' });
}
