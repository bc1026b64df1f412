/**
 * Where each template can go at this site, for the Catalogue's marks: the
 * targets the site profile offers (a kubeconfig context always; IM and the
 * dispatcher when it names them), each judged by the same capability check
 * Review and `afp deploy` run, on the template's default values. Driven by the
 * check's verdict, never by template names: a template IM learns to take is
 * marked so without a change here.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { TemplateCard } from '../contract/catalogue';
import { TARGETS, type TargetKind } from '../contract/targets';
import type { ActiveProfile } from '../site/active-profile';
import { traitsOf } from '../targets/kinds/traits';
import { planFor } from './plan-views';

/** The kinds of target the site profile offers, in the contract's order. */
export function offeredTargets(profile: ActiveProfile | null): TargetKind[] {
  const targets = profile?.profile.targets;
  const named: Record<TargetKind, boolean> = { kube: true, im: targets?.im !== undefined, dispatcher: targets?.dispatcher !== undefined };
  return TARGETS.filter((kind) => named[kind]);
}

/** Each offered target and whether it takes `template` with its defaults; a template whose defaults do not render is left unmarked. */
export function templateTargets(catalogue: Catalogue, template: string, profile: ActiveProfile | null): TemplateCard['targets'] {
  try {
    return offeredTargets(profile).map((kind) => ({
      kind,
      ok: traitsOf(kind).capability(planFor(catalogue, { template, values: {}, target: kind }, profile)).ok,
    }));
  } catch {
    return undefined;
  }
}
