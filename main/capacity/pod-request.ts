/**
 * A pod's effective resource request as kube-scheduler computes it
 * (k8s.io/component-helpers/resource PodRequests, v1.35), after the API
 * server's defaulting that turns limits-only containers into requests = limits:
 *
 *   max( Σ app containers + Σ sidecars (init containers with restartPolicy Always),
 *        each regular init container + the sidecars started before it )
 *   overridden per resource by pod-level requests (cpu, memory, hugepages-*),
 *   + pod overhead.
 *
 * The pod itself always takes one of the node's `pods` slots, even with zero requests.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { resourceAmount, type QuantityInput } from './quantity';
import { addInto, CPU, MEMORY, maxInto, type ResourceList } from './resources';

export interface PodRequest {
  /** Effective request per resource in scheduler units (pods excluded: a pod always takes one slot). */
  resources: ResourceList;
  /**
   * CPU (millicores) and memory (bytes) with the scheduler's stand-ins for containers that
   * request none (100m, 200Mi). Only the spreading score uses these; fit uses `resources`.
   */
  nonZeroCpu: number;
  nonZeroMemory: number;
}

/** The scheduler's scoring stand-ins for an unset request (pkg/scheduler/util/pod_resources.go). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type QuantityMap = Record<string, QuantityInput> | undefined;

/**
 * Scoring stand-ins ride along under keys no Kubernetes resource can have, so
 * one aggregation pass yields both the request and its stand-in variant.
 */
const NON_ZERO_CPU = '\0cpu';
const NON_ZERO_MEMORY = '\0memory';

function amounts(map: QuantityMap, into: ResourceList = {}): ResourceList {
  if (map) for (const name in map) into[name] = (into[name] ?? 0) + resourceAmount(name, map[name] as QuantityInput);
  return into;
}

/**
 * A container's requests after API defaulting (a resource with only a limit is
 * requested at its limit), plus the scoring stand-ins for cpu and memory.
 */
function containerRequests(container: V1Container, standInCpu: boolean, standInMemory: boolean): ResourceList {
  const resources = container.resources;
  const requests = amounts(resources?.requests);
  const limits = resources?.limits as QuantityMap;
  if (limits) for (const name in limits) if (!(name in requests)) requests[name] = resourceAmount(name, limits[name] as QuantityInput);
  requests[NON_ZERO_CPU] = requests[CPU] ?? (standInCpu ? DEFAULT_MILLI_CPU_REQUEST : 0);
  requests[NON_ZERO_MEMORY] = requests[MEMORY] ?? (standInMemory ? DEFAULT_MEMORY_REQUEST : 0);
  return requests;
}

function isSidecar(container: V1Container): boolean {
  return container.restartPolicy === 'Always';
}

function aggregateContainers(spec: V1PodSpec, standInCpu = true, standInMemory = true): ResourceList {
  const total: ResourceList = {};
  for (const container of spec.containers ?? []) addInto(total, containerRequests(container, standInCpu, standInMemory));
  const initContainers = spec.initContainers;
  if (!initContainers || initContainers.length === 0) return total;
  const sidecars: ResourceList = {};
  const initPeak: ResourceList = {};
  for (const container of initContainers) {
    const own = containerRequests(container, standInCpu, standInMemory);
    if (isSidecar(container)) {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      maxInto(initPeak, addInto(own, sidecars));
    }
  }
  return maxInto(total, initPeak);
}

function isPodLevelResource(name: string): boolean {
  return name === CPU || name === MEMORY || name.startsWith('hugepages-');
}

/** Pod-level requests after defaulting (PodLevelResources, on by default since 1.34); undefined when unset. */
function podLevelRequests(spec: V1PodSpec, containerTotal: ResourceList): ResourceList | undefined {
  const requests = spec.resources?.requests as QuantityMap;
  const limits = spec.resources?.limits as QuantityMap;
  if (!requests && !limits) return undefined;
  const out: ResourceList = {};
  if (requests) for (const name in requests) if (isPodLevelResource(name)) out[name] = resourceAmount(name, requests[name] as QuantityInput);
  if (limits) {
    for (const name in limits) {
      if (!isPodLevelResource(name) || name in out) continue;
      // Defaulting copies the containers' sum when they request it, else the pod-level limit.
      out[name] = name in containerTotal ? (containerTotal[name] as number) : resourceAmount(name, limits[name] as QuantityInput);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Running sums of pod requests (a node's pods, in a snapshot). */
export interface RequestTotals {
  requested: ResourceList;
  nonZeroCpu: number;
  nonZeroMemory: number;
}

function addAmount(list: ResourceList, name: string, amount: number | undefined): void {
  if (amount) list[name] = (list[name] ?? 0) + amount;
}

/**
 * The common case — app containers only, no overhead, no pod-level resources —
 * summed straight into `totals` without intermediate objects: a cluster
 * snapshot runs this for every pod.
 */
function addAppContainers(containers: readonly V1Container[], totals: RequestTotals): void {
  const requested = totals.requested;
  for (const container of containers) {
    const requests = container.resources?.requests as QuantityMap;
    const limits = container.resources?.limits as QuantityMap;
    let cpu: number | undefined;
    let memory: number | undefined;
    // One pass over each map: requests first, then limits for what requests leave unset.
    for (let pass = 0; pass < 2; pass += 1) {
      const map = pass === 0 ? requests : limits;
      if (!map) continue;
      for (const name in map) {
        if (pass === 1 && requests !== undefined && name in requests) continue;
        const amount = resourceAmount(name, map[name] as QuantityInput);
        if (name === CPU) cpu = amount;
        else if (name === MEMORY) memory = amount;
        else addAmount(requested, name, amount);
      }
    }
    addAmount(requested, CPU, cpu);
    addAmount(requested, MEMORY, memory);
    totals.nonZeroCpu += cpu ?? DEFAULT_MILLI_CPU_REQUEST;
    totals.nonZeroMemory += memory ?? DEFAULT_MEMORY_REQUEST;
  }
}

function isAppContainersOnly(spec: V1PodSpec): boolean {
  return !spec.initContainers?.length && !spec.overhead && !spec.resources;
}

/** Adds the pod's effective request to running totals. */
export function addPodRequest(spec: V1PodSpec, totals: RequestTotals): void {
  if (isAppContainersOnly(spec)) {
    addAppContainers(spec.containers ?? [], totals);
    return;
  }
  const request = podRequest(spec);
  addInto(totals.requested, request.resources);
  totals.nonZeroCpu += request.nonZeroCpu;
  totals.nonZeroMemory += request.nonZeroMemory;
}

/** The effective request of a pod with this spec, as kube-scheduler v1.35 counts it. */
export function podRequest(spec: V1PodSpec): PodRequest {
  if (isAppContainersOnly(spec)) {
    const totals: RequestTotals = { requested: {}, nonZeroCpu: 0, nonZeroMemory: 0 };
    addAppContainers(spec.containers ?? [], totals);
    return { resources: totals.requested, nonZeroCpu: totals.nonZeroCpu, nonZeroMemory: totals.nonZeroMemory };
  }
  let total = aggregateContainers(spec);
  const podLevel = podLevelRequests(spec, total);
  let nonZeroCpu = total[NON_ZERO_CPU] ?? 0;
  let nonZeroMemory = total[NON_ZERO_MEMORY] ?? 0;
  if (podLevel) {
    // With pod-level requests the stand-ins apply only to a resource set at neither level.
    const overhead = amounts(spec.overhead);
    const hasCpu = CPU in podLevel || CPU in total || CPU in overhead;
    const hasMemory = MEMORY in podLevel || MEMORY in total || MEMORY in overhead;
    if (hasCpu || hasMemory) total = aggregateContainers(spec, !hasCpu, !hasMemory);
    Object.assign(total, podLevel);
    nonZeroCpu = podLevel[CPU] ?? total[NON_ZERO_CPU] ?? 0;
    nonZeroMemory = podLevel[MEMORY] ?? total[NON_ZERO_MEMORY] ?? 0;
  }
  const overhead = spec.overhead as QuantityMap;
  if (overhead) {
    amounts(overhead, total);
    nonZeroCpu += overhead[CPU] === undefined ? 0 : resourceAmount(CPU, overhead[CPU]);
    nonZeroMemory += overhead[MEMORY] === undefined ? 0 : resourceAmount(MEMORY, overhead[MEMORY]);
  }
  const resources: ResourceList = {};
  for (const name in total) if (total[name] !== 0 && name !== NON_ZERO_CPU && name !== NON_ZERO_MEMORY) resources[name] = total[name] as number;
  return { resources, nonZeroCpu, nonZeroMemory };
}
