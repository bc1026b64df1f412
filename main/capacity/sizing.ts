/**
 * Sizing help: which presets fit the cluster now, and for a numeric knob
 * (Dask worker count, worker memory) the largest value that still fits.
 * The caller supplies `podsFor(values)`, so this file does not depend on how
 * templates are rendered.
 */
import { predictFitDeferred, type DeferredFit, type FitReport, type PodToPlace } from './fit';
import { bindingResources } from './fit-summary';
import { formatBytes, formatCpu } from './format';
import { cpuLadder, memoryLadder } from './typeable';
import { toMilli, toUnits, type QuantityInput } from '../kube/quantity';
import type { ClusterSnapshot } from './snapshot';

export type Values = Record<string, unknown>;
export type PodsForValues = (values: Values) => readonly PodToPlace[] | Promise<readonly PodToPlace[]>;

export interface Preset {
  name: string;
  values: Values;
}

export interface PresetVerdict {
  preset: string;
  fits: boolean;
  /** Pods of the preset that would stay Pending. */
  pending: number;
  pods: number;
  report: FitReport;
}

export interface NumericKnob {
  /** The parameter, as a dotted path into the values (`workers`, `dask.workerMemory`). */
  name: string;
  /** Bounds of the parameter, in the unit searched (a count, or bytes). */
  min: number;
  max: number;
  /** Smallest change worth making (default 1). */
  step?: number;
  /** Turns the searched number into the parameter's value (default: the number itself). */
  toValue?: (amount: number) => unknown;
  /** Reads a parameter's value as an amount of this knob (default: Number). */
  fromValue?: (value: unknown) => number;
  /** The amounts to try, ascending (values people type, see typeable.ts); when given, min, max and step are not used. */
  ladder?: readonly number[];
}

export interface KnobResult {
  knob: string;
  /** Largest amount that fits, or null when even the minimum does not. */
  largest: number | null;
  /** The same as the parameter's value (e.g. "12Gi"), or null. */
  value: unknown;
  /** The fit at that value: per-pod placement and the headroom left after deploying it. */
  report: FitReport | null;
  /** How many values were tried. */
  evaluations: number;
  /**
   * What runs out first (`cpu`, `memory`, `pods`, or `placement` when no node
   * accepts a pod at all): at the next value above `largest`, or at the smallest
   * value when none fits. Absent when the knob's maximum fits.
   */
  limitedBy?: string[];
}

/** A copy of `values` with the dotted `path` set. */
export function withValue(values: Values, path: string, value: unknown): Values {
  const keys = path.split('.');
  const root: Values = { ...values };
  let cursor = root;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      cursor[key] = value;
      return;
    }
    const next = cursor[key];
    const copy: Values = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Values) } : {};
    cursor[key] = copy;
    cursor = copy;
  });
  return root;
}

/**
 * Each preset, applied over `base`, marked fits / does not fit. A verdict's
 * `report` (per-node headroom included) is built when first read: the
 * Configure page reads only the verdicts, and the headroom of thousands of
 * nodes per preset was most of what judging them cost.
 */
export async function judgePresets(
  snapshot: ClusterSnapshot,
  presets: readonly Preset[],
  podsFor: PodsForValues,
  base: Values = {},
): Promise<PresetVerdict[]> {
  const verdicts: PresetVerdict[] = [];
  for (const preset of presets) {
    const fit = predictFitDeferred(snapshot, await podsFor({ ...base, ...preset.values }));
    const { allFit, totals } = fit.report;
    verdicts.push({
      preset: preset.name,
      fits: allFit,
      pending: totals.pending,
      pods: totals.pods,
      get report() {
        return fit.withHeadroom();
      },
    });
  }
  return verdicts;
}

/**
 * Binary search for the largest knob value whose plan fits entirely,
 * assuming (as for replicas and per-pod sizes) that more never fits where
 * less did not.
 */
export async function largestThatFits(
  snapshot: ClusterSnapshot,
  values: Values,
  knob: NumericKnob,
  podsFor: PodsForValues,
): Promise<KnobResult> {
  const step = knob.step ?? 1;
  const toValue = knob.toValue ?? ((amount: number): unknown => amount);
  const ladder = knob.ladder;
  const steps = ladder === undefined ? Math.max(0, Math.floor((knob.max - knob.min) / step)) : ladder.length - 1;
  const amountAt = (index: number): number => (ladder === undefined ? knob.min + index * step : (ladder[index] as number));
  let evaluations = 0;
  // Only the verdict matters until the search ends; the headroom is built for the value reported.
  const tryIndex = async (index: number): Promise<DeferredFit> => {
    evaluations += 1;
    return predictFitDeferred(snapshot, await podsFor(withValue(values, knob.name, toValue(amountAt(index)))));
  };
  if (steps < 0) return { knob: knob.name, largest: null, value: null, report: null, evaluations };

  const lowest = await tryIndex(0);
  if (!lowest.report.allFit)
    return { knob: knob.name, largest: null, value: null, report: null, evaluations, limitedBy: bindingResources(lowest.report) };
  let fitting = 0;
  let fittingFit = lowest;
  let failingFit: DeferredFit | undefined;
  if (steps > 0) {
    const highest = await tryIndex(steps);
    if (highest.report.allFit) {
      fitting = steps;
      fittingFit = highest;
    } else {
      let failing = steps;
      failingFit = highest;
      while (failing - fitting > 1) {
        const middle = fitting + Math.floor((failing - fitting) / 2);
        const tried = await tryIndex(middle);
        if (tried.report.allFit) {
          fitting = middle;
          fittingFit = tried;
        } else {
          failing = middle;
          failingFit = tried;
        }
      }
    }
  }
  const largest = amountAt(fitting);
  const kept = fittingFit;
  return {
    knob: knob.name,
    largest,
    value: toValue(largest),
    // Built when first read: suggestions need only the amount.
    get report() {
      return kept.withHeadroom();
    },
    evaluations,
    ...(failingFit === undefined ? {} : { limitedBy: bindingResources(failingFit.report) }),
  };
}

/**
 * A memory-style knob searched in bytes between two quantities, in steps of
 * `step` (default 256Mi), written back as a quantity such as "12Gi" or "11776Mi".
 */
export function memoryKnob(name: string, min: QuantityInput, max: QuantityInput, step: QuantityInput = '256Mi'): NumericKnob {
  return {
    name,
    min: toUnits(min),
    max: toUnits(max),
    step: Math.max(1, toUnits(step)),
    toValue: bytesAsQuantity,
    fromValue: (value) => toUnits(value as QuantityInput),
  };
}

/** A cpu-style knob searched in millicores, in steps of `step` (default 100m), written back as "1.5" or "250m". */
export function cpuKnob(name: string, min: QuantityInput, max: QuantityInput, step: QuantityInput = '100m'): NumericKnob {
  return {
    name,
    min: toMilli(min),
    max: toMilli(max),
    step: Math.max(1, toMilli(step)),
    toValue: formatCpu,
    fromValue: (value) => toMilli(value as QuantityInput),
  };
}

/** The parts of a template parameter a knob needs (main/catalogue's parameters have this shape). */
export interface KnobParameter {
  type: string;
  min?: number | string | undefined;
  max?: number | string | undefined;
  step?: number | undefined;
}

/** Search bounds for parameters that declare none. */
const OPEN_BOUNDS = { integer: [0, 1000], cpu: ['100m', '64'], memory: ['128Mi', '1Ti'] } as const;

/** The knob for an integer, cpu or memory parameter, bounded by its min and max; undefined for other types. */
export function knobForParameter(name: string, parameter: KnobParameter): NumericKnob | undefined {
  switch (parameter.type) {
    case 'integer': {
      const knob: NumericKnob = {
        name,
        min: Number(parameter.min ?? OPEN_BOUNDS.integer[0]),
        max: Number(parameter.max ?? OPEN_BOUNDS.integer[1]),
      };
      if (parameter.step !== undefined) knob.step = parameter.step;
      return knob;
    }
    // Suggested amounts are ones people type (8Gi, 1.5 CPUs), never 8320Mi.
    case 'cpu': {
      const knob = cpuKnob(name, parameter.min ?? OPEN_BOUNDS.cpu[0], parameter.max ?? OPEN_BOUNDS.cpu[1]);
      return { ...knob, ladder: cpuLadder(knob.min, knob.max) };
    }
    case 'memory': {
      const knob = memoryKnob(name, parameter.min ?? OPEN_BOUNDS.memory[0], parameter.max ?? OPEN_BOUNDS.memory[1], '128Mi');
      return { ...knob, ladder: memoryLadder(knob.min, knob.max) };
    }
    default:
      return undefined;
  }
}

/** Bytes as the shortest exact binary quantity. */
export function bytesAsQuantity(bytes: number): string {
  const text = formatBytes(bytes);
  return toUnits(text) === bytes ? text : exactBinary(bytes);
}

function exactBinary(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}
