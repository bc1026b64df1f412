/**
 * The capacity view's renders, remembered by what they are rendered from. A
 * keystroke on the Configure page renders the plan, each preset and each
 * value a knob search tries; most of those are the same as at the previous
 * keystroke (the presets set every knob, and a knob search over `workers` does
 * not depend on the workers typed). A render is pure but for secrets drawn at
 * random, which no pod spec holds, so a remembered one gives the same pods.
 *
 * The pods are frozen: fit.ts remembers the fit of a frozen pod list on a
 * snapshot, so an unchanged plan on an unchanged cluster is not fitted twice.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { PlanRequest } from '../contract/plan';
import { podsFromPlan } from '../capacity/plan-pods';
import type { PodToPlace } from '../capacity/fit';
import type { ActiveProfile } from '../site/active-profile';
import { planFor } from './plan-views';

/** What a fit reads of a Plan. */
export interface FitPlan {
  /** Every parameter's value as rendered. */
  values: Record<string, unknown>;
  namespace: string;
  /** The plan's pods, one per replica, frozen. */
  pods: readonly PodToPlace[];
}

/** Enough for a keystroke's renders (plan, presets, three knob searches) and the previous keystroke's. */
const KEPT = 64;

export class PlanMemo {
  private readonly plans = new Map<string, FitPlan>();
  private catalogue: Catalogue | undefined;
  private profile: ActiveProfile | null | undefined;

  /** The plan `request` renders to under `profile`; throws what planFor throws (failures are not remembered). */
  plan(catalogue: Catalogue, request: PlanRequest, profile: ActiveProfile | null): FitPlan {
    // A new catalogue or profile (a file changed, Settings) renders differently: start over.
    if (catalogue !== this.catalogue || profile !== this.profile) {
      this.plans.clear();
      this.catalogue = catalogue;
      this.profile = profile;
    }
    const key = JSON.stringify([request.template, request.name ?? null, request.target, request.values]);
    const kept = this.plans.get(key);
    if (kept !== undefined) {
      // Most recently used last: the oldest is dropped first.
      this.plans.delete(key);
      this.plans.set(key, kept);
      return kept;
    }
    const plan = planFor(catalogue, request, profile);
    const fitPlan: FitPlan = {
      values: plan.values,
      namespace: plan.environment.namespace,
      pods: Object.freeze(podsFromPlan(plan.pods)),
    };
    this.plans.set(key, fitPlan);
    if (this.plans.size > KEPT) this.plans.delete(this.plans.keys().next().value as string);
    return fitPlan;
  }
}
