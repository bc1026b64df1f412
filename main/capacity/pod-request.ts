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
import { resourceAmount, type QuantityInput } from '../kube/quantity';
import { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, addAppContainers, RequestTotals, type QuantityMap } from './request-totals';
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
  if (requests)
    for (const name in requests) if (isPodLevelResource(name)) out[name] = resourceAmount(name, requests[name] as QuantityInput);
  if (limits) {
    for (const name in limits) {
      if (!isPodLevelResource(name) || name in out) continue;
      // Defaulting copies the containers' sum when they request it, else the pod-level limit.
      out[name] = name in containerTotal ? (containerTotal[name] as number) : resourceAmount(name, limits[name] as QuantityInput);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isAppContainersOnly(spec: V1PodSpec): boolean {
  return !spec.initContainers?.length && !spec.overhead && !spec.resources;
}

/** The effective request of a pod with this spec, as kube-scheduler v1.35 counts it. */
export function podRequest(spec: V1PodSpec): PodRequest {
  if (isAppContainersOnly(spec)) {
    const totals = new RequestTotals();
    addAppContainers(spec.containers ?? [], totals);
    return { resources: totals.addTo({}), nonZeroCpu: totals.nonZeroCpu, nonZeroMemory: totals.nonZeroMemory };
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
  for (const name in total)
    if (total[name] !== 0 && name !== NON_ZERO_CPU && name !== NON_ZERO_MEMORY) resources[name] = total[name] as number;
  return { resources, nonZeroCpu, nonZeroMemory };
}
