/**
 * Amounts people type, for the values the fit suggests: memory in steps that
 * grow with its size (256Mi, 1.5Gi, 8Gi, 96Gi — never 8320Mi) and CPU in whole
 * or half CPUs from one CPU up (tenths below). A parameter's own bounds are kept,
 * as a site admin wrote them.
 */
const MI = 2 ** 20;
const GI = 2 ** 30;

/** Below each limit, the step between two typeable amounts. */
const MEMORY_STEPS: readonly [number, number][] = [
  [GI, 128 * MI],
  [4 * GI, 512 * MI],
  [64 * GI, GI],
  [Infinity, 4 * GI],
];
const CPU_STEPS: readonly [number, number][] = [
  [1000, 100],
  [Infinity, 500],
];

function ladder(min: number, max: number, steps: readonly [number, number][]): number[] {
  const amounts = new Set<number>([min]);
  let floor = 0;
  for (const [limit, step] of steps) {
    const from = Math.max(floor, Math.ceil(min / step) * step);
    for (let amount = from; amount < limit && amount <= max; amount += step) if (amount >= min) amounts.add(amount);
    floor = limit;
    if (limit > max) break;
  }
  amounts.add(max);
  return [...amounts].filter((amount) => amount >= min && amount <= max).sort((a, b) => a - b);
}

/** Memory amounts in bytes from `min` to `max`, both included. */
export function memoryLadder(min: number, max: number): number[] {
  return ladder(min, max, MEMORY_STEPS);
}

/** CPU amounts in millicores from `min` to `max`, both included. */
export function cpuLadder(min: number, max: number): number[] {
  return ladder(min, max, CPU_STEPS);
}
