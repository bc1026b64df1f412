/**
 * What the fit suggests changing, knob by knob: when the plan does not fit,
 * the largest value that would (or none, naming what runs out even at the
 * smallest); when it fits, the most that still would. Never the value already
 * chosen, and always a value people type (the knobs' ladders, typeable.ts).
 */
import { largestThatFits, type NumericKnob, type PodsForValues, type Values } from './sizing';
import type { ClusterSnapshot } from './snapshot';

export interface Suggestion {
  parameter: string;
  /** The value to use, or null when no value of this knob alone makes the plan fit. */
  value: string | number | null;
  /** What runs out past `value` (or at the knob's smallest value when `value` is null); empty when the knob's maximum fits. */
  limitedBy: string[];
  direction: 'lower' | 'raise';
}

/**
 * `values`: what the user chose (the plan renders the rest from defaults);
 * `current`: every parameter's value as rendered, to compare against.
 */
export async function suggestKnobs(
  snapshot: ClusterSnapshot,
  values: Values,
  current: Values,
  allFit: boolean,
  knobs: readonly NumericKnob[],
  podsFor: PodsForValues,
): Promise<Suggestion[]> {
  const suggestions: Suggestion[] = [];
  for (const knob of knobs) {
    const result = await largestThatFits(snapshot, values, knob, podsFor);
    const limitedBy = result.limitedBy ?? [];
    if (result.largest === null) {
      // Even the smallest value leaves pods Pending: this knob alone cannot help, and the reason is what runs out.
      if (!allFit) suggestions.push({ parameter: knob.name, value: null, limitedBy, direction: 'lower' });
      continue;
    }
    const fromValue = knob.fromValue ?? Number;
    const now = current[knob.name];
    const currentAmount = now === undefined || now === null ? undefined : fromValue(now);
    const value = result.value as string | number;
    if (currentAmount !== undefined && result.largest === currentAmount) continue;
    if (allFit && currentAmount !== undefined && result.largest < currentAmount) continue;
    suggestions.push({ parameter: knob.name, value, limitedBy, direction: allFit ? 'raise' : 'lower' });
  }
  return suggestions;
}
