/**
 * Running sums of resource requests (a node's pods in a snapshot, or one
 * pod's containers). A cluster snapshot adds up every pod's containers, so
 * cpu and memory are plain number fields rather than keys of an object, and
 * nothing is allocated per pod; the resulting list names each resource in the
 * order it was first requested, as an object filled key by key would.
 */
import type { V1Container } from '@kubernetes/client-node';
import { toMilli, toUnits, type QuantityInput } from '../kube/quantity';
import { CPU, MEMORY, PODS, type ResourceList } from './resources';

/** The scheduler's scoring stand-ins for an unset request (pkg/scheduler/util/pod_resources.go). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export type QuantityMap = Record<string, QuantityInput> | undefined;

export class RequestTotals {
  /** Pods counted (a snapshot node's pods; each takes a `pods` slot). */
  count = 0;
  cpu = 0;
  memory = 0;
  /** CPU and memory with the scheduler's stand-ins for containers that request none (scoring only). */
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  private other: ResourceList | undefined;
  /** Resources with a non-zero sum, in the order they first got one. */
  private readonly order: string[] = [];

  /** Adds `amount` (a whole number ≥ 0) of `name`; zero adds nothing, not even the name. */
  add(name: string, amount: number): void {
    if (amount === 0) return;
    if (name === CPU) {
      if (this.cpu === 0) this.order.push(CPU);
      this.cpu += amount;
    } else if (name === MEMORY) {
      if (this.memory === 0) this.order.push(MEMORY);
      this.memory += amount;
    } else {
      const other = (this.other ??= {});
      const before = other[name];
      if (before === undefined) this.order.push(name);
      other[name] = (before ?? 0) + amount;
    }
  }

  /**
   * `{ pods: count, ...sums }`, as adding the sums to `{ pods: count }` would
   * make it. The usual shapes are written as literals: adding names one by one
   * to a new object is slow when it is done for thousands of nodes.
   */
  withPodCount(count: number): ResourceList {
    const order = this.order;
    if (this.other === undefined) {
      if (order.length === 0) return { pods: count };
      if (order.length === 1) return order[0] === CPU ? { pods: count, cpu: this.cpu } : { pods: count, memory: this.memory };
      return order[0] === CPU ? { pods: count, cpu: this.cpu, memory: this.memory } : { pods: count, memory: this.memory, cpu: this.cpu };
    }
    return this.addTo({ [PODS]: count });
  }

  /** The sums into `into`, added to what it holds, in first-requested order. */
  addTo(into: ResourceList): ResourceList {
    for (const name of this.order) {
      const amount = name === CPU ? this.cpu : name === MEMORY ? this.memory : ((this.other as ResourceList)[name] as number);
      into[name] = (into[name] ?? 0) + amount;
    }
    return into;
  }
}

/**
 * App containers only (no init containers, overhead or pod-level resources):
 * each container's requests, with a limit standing in for a request it lacks,
 * as API defaulting does. Per container, resources other than cpu and memory
 * are added first, then cpu, then memory.
 */
export function addAppContainers(containers: readonly V1Container[], totals: RequestTotals): void {
  for (const container of containers) {
    const requests = container.resources?.requests as QuantityMap;
    const limits = container.resources?.limits as QuantityMap;
    let cpu: number | undefined;
    let memory: number | undefined;
    if (requests) {
      for (const name in requests) {
        if (name === CPU) cpu = toMilli(requests[name] as QuantityInput);
        else if (name === MEMORY) memory = toUnits(requests[name] as QuantityInput);
        else totals.add(name, toUnits(requests[name] as QuantityInput));
      }
    }
    if (limits) {
      for (const name in limits) {
        if (requests !== undefined && name in requests) continue;
        if (name === CPU) cpu = toMilli(limits[name] as QuantityInput);
        else if (name === MEMORY) memory = toUnits(limits[name] as QuantityInput);
        else totals.add(name, toUnits(limits[name] as QuantityInput));
      }
    }
    if (cpu !== undefined) totals.add(CPU, cpu);
    if (memory !== undefined) totals.add(MEMORY, memory);
    totals.nonZeroCpu += cpu ?? DEFAULT_MILLI_CPU_REQUEST;
    totals.nonZeroMemory += memory ?? DEFAULT_MEMORY_REQUEST;
  }
}
