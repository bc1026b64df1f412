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

function amounts(map: QuantityMap, into: ResourceList = {}): ResourceList {
  if (map) for (const name in map) into[name] = (into[name] ?? 0) + resourceAmount(name, map[name] as QuantityInput);
  return into;
}

/** A container's requests after API defaulting: a resource with only a limit is requested at its limit. */
function containerRequests(container: V1Container, standIns: ResourceList | undefined): ResourceList {
  const resources = container.resources;
  const requests = amounts(resources?.requests);
  const limits = resources?.limits as QuantityMap;
  if (limits) for (const name in limits) if (!(name in requests)) requests[name] = resourceAmount(name, limits[name] as QuantityInput);
  if (standIns) for (const name in standIns) if (!(name in requests)) requests[name] = standIns[name] as number;
  return requests;
}

function isSidecar(container: V1Container): boolean {
  return container.restartPolicy === 'Always';
}

function aggregateContainers(spec: V1PodSpec, standIns?: ResourceList): ResourceList {
  const total: ResourceList = {};
  for (const container of spec.containers ?? []) addInto(total, containerRequests(container, standIns));
  const sidecars: ResourceList = {};
  const initPeak: ResourceList = {};
  for (const container of spec.initContainers ?? []) {
    const own = containerRequests(container, standIns);
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

function withPodLevelAndOverhead(spec: V1PodSpec, total: ResourceList, podLevel: ResourceList | undefined): ResourceList {
  if (podLevel) Object.assign(total, podLevel);
  return amounts(spec.overhead, total);
}

function dropZeros(list: ResourceList): ResourceList {
  for (const name in list) if (list[name] === 0) delete list[name];
  return list;
}

/** The effective request of a pod with this spec, as kube-scheduler v1.35 counts it. */
export function podRequest(spec: V1PodSpec): PodRequest {
  const containerTotal = aggregateContainers(spec);
  const podLevel = podLevelRequests(spec, containerTotal);
  const resources = withPodLevelAndOverhead(spec, { ...containerTotal }, podLevel);

  // Scoring stand-ins apply per container when pod-level requests are unset, else only to resources unset at both levels.
  const standIns: ResourceList = {};
  if (!podLevel || !(CPU in resources)) standIns[CPU] = DEFAULT_MILLI_CPU_REQUEST;
  if (!podLevel || !(MEMORY in resources)) standIns[MEMORY] = DEFAULT_MEMORY_REQUEST;
  const nonZero = withPodLevelAndOverhead(spec, aggregateContainers(spec, standIns), podLevel);

  return {
    resources: dropZeros(resources),
    nonZeroCpu: nonZero[CPU] ?? 0,
    nonZeroMemory: nonZero[MEMORY] ?? 0,
  };
}
