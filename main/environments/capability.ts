/** The capability check as a gate: what IM's connector cannot express stops a deploy before anything is recorded or sent. */
import { AfpError } from '../errors';
import { incapableMessage } from '../render/tosca/refusal';
import { traitsOf } from '../targets/kinds/traits';
import type { Plan } from '../render/types';
import type { TargetRef } from '../inventory/record';

/** Throws an `unsupported` AfpError (field `target`) listing every refused item with its reason. */
export function refuseIncapable(plan: Plan, kind: TargetRef['kind']): void {
  const check = traitsOf(kind).capability(plan);
  if (check.ok) return;
  throw new AfpError('unsupported', incapableMessage(plan.environment.name, check, 'sent'), { field: 'target' });
}
