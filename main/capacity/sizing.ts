/**
 * Sizing help: which presets fit the cluster now, and for a numeric knob
 * (Dask worker count, worker memory) the largest value that still fits.
 * The caller supplies `podsFor(values)`, so this file does not depend on how
 * templates are rendered.
 */
import { predictFit, predictFitDeferred, type DeferredFit, type FitReport, type PodToPlace } from './fit';
import { formatBytes, formatCpu } from './format';
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

async function fitFor(snapshot: ClusterSnapshot, values: Values, podsFor: PodsForValues): Promise<FitReport> {
  return predictFit(snapshot, await podsFor(values));
}

/** Each preset, applied over `base`, marked fits / does not fit. */
export async function judgePresets(
  snapshot: ClusterSnapshot,
  presets: readonly Preset[],
  podsFor: PodsForValues,
  base: Values = {},
): Promise<PresetVerdict[]> {
  const verdicts: PresetVerdict[] = [];
  for (const preset of presets) {
    const report = await fitFor(snapshot, { ...base, ...preset.values }, podsFor);
    verdicts.push({ preset: preset.name, fits: report.allFit, pending: report.totals.pending, pods: report.totals.pods, report });
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
  const steps = Math.max(0, Math.floor((knob.max - knob.min) / step));
  const amountAt = (index: number): number => knob.min + index * step;
  let evaluations = 0;
  // Only the verdict matters until the search ends; the headroom is built for the value reported.
  const tryIndex = async (index: number): Promise<DeferredFit> => {
    evaluations += 1;
    return predictFitDeferred(snapshot, await podsFor(withValue(values, knob.name, toValue(amountAt(index)))));
  };

  const lowest = await tryIndex(0);
  if (!lowest.report.allFit) return { knob: knob.name, largest: null, value: null, report: null, evaluations };
  let fitting = 0;
  let fittingFit = lowest;
  if (steps > 0) {
    const highest = await tryIndex(steps);
    if (highest.report.allFit) {
      fitting = steps;
      fittingFit = highest;
    } else {
      let failing = steps;
      while (failing - fitting > 1) {
        const middle = fitting + Math.floor((failing - fitting) / 2);
        const tried = await tryIndex(middle);
        if (tried.report.allFit) {
          fitting = middle;
          fittingFit = tried;
        } else {
          failing = middle;
        }
      }
    }
  }
  const largest = amountAt(fitting);
  return { knob: knob.name, largest, value: toValue(largest), report: fittingFit.withHeadroom(), evaluations };
}

/**
 * A memory-style knob searched in bytes between two quantities, in steps of
 * `step` (default 256Mi), written back as a quantity such as "12Gi" or "11776Mi".
 */
export function memoryKnob(name: string, min: QuantityInput, max: QuantityInput, step: QuantityInput = '256Mi'): NumericKnob {
  return { name, min: toUnits(min), max: toUnits(max), step: Math.max(1, toUnits(step)), toValue: bytesAsQuantity };
}

/** A cpu-style knob searched in millicores, in steps of `step` (default 100m), written back as "1.5" or "250m". */
export function cpuKnob(name: string, min: QuantityInput, max: QuantityInput, step: QuantityInput = '100m'): NumericKnob {
  return { name, min: toMilli(min), max: toMilli(max), step: Math.max(1, toMilli(step)), toValue: formatCpu };
}

/** The parts of a template parameter a knob needs (main/catalogue's parameters have this shape). */
export interface KnobParameter {
  type: string;
  min?: number | string;
  max?: number | string;
  step?: number;
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
    case 'cpu':
      return cpuKnob(name, parameter.min ?? OPEN_BOUNDS.cpu[0], parameter.max ?? OPEN_BOUNDS.cpu[1]);
    case 'memory':
      return memoryKnob(name, parameter.min ?? OPEN_BOUNDS.memory[0], parameter.max ?? OPEN_BOUNDS.memory[1], '128Mi');
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
