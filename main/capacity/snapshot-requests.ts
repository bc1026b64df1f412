/**
 * A bound pod's effective request added to its node's running totals, as a
 * snapshot does for every pod of the cluster. Pods whose containers request
 * nothing but cpu and memory (nearly all of them) are summed with plain
 * numbers, allocating nothing; any other pod goes through podRequest, the
 * reference rules. Either way the amounts, and the order in which resources
 * are first named, are podRequest's.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { podRequest } from './pod-request';
import { toMilli, toUnits, type QuantityInput } from '../kube/quantity';
import {
  addAppContainers,
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  type QuantityMap,
  type RequestTotals,
} from './request-totals';
import { CPU, MEMORY } from './resources';

/** Which of cpu and memory a request names first (podRequest lists resources in that order). */
const NEITHER = 0;
const CPU_FIRST = 1;
const MEMORY_FIRST = 2;
type First = typeof NEITHER | typeof CPU_FIRST | typeof MEMORY_FIRST;

/** One container's cpu and memory after defaulting; a single scratch record, so scanning allocates nothing. */
const scanned = { cpu: 0, memory: 0, hasCpu: false, hasMemory: false, first: NEITHER as First };

/**
 * Reads a container's requests (a limit standing in for a missing request)
 * into `scanned`; false when it names a resource other than cpu and memory.
 * Quantities are read in podRequest's order, so a bad one fails the same way.
 */
function scanContainer(container: V1Container): boolean {
  scanned.cpu = 0;
  scanned.memory = 0;
  scanned.hasCpu = false;
  scanned.hasMemory = false;
  scanned.first = NEITHER;
  const requests = container.resources?.requests as QuantityMap;
  const limits = container.resources?.limits as QuantityMap;
  for (let pass = 0; pass < 2; pass += 1) {
    const map = pass === 0 ? requests : limits;
    if (!map) continue;
    for (const name in map) {
      if (name === CPU) {
        if (scanned.hasCpu) continue;
        scanned.cpu = toMilli(map[name] as QuantityInput);
        scanned.hasCpu = true;
        if (scanned.first === NEITHER) scanned.first = CPU_FIRST;
      } else if (name === MEMORY) {
        if (scanned.hasMemory) continue;
        scanned.memory = toUnits(map[name] as QuantityInput);
        scanned.hasMemory = true;
        if (scanned.first === NEITHER) scanned.first = MEMORY_FIRST;
      } else {
        return false;
      }
    }
  }
  return true;
}

/**
 * podRequest's rule — max(Σ app containers + Σ sidecars, each init container
 * + the sidecars before it) — on cpu, memory and their scoring stand-ins.
 * False, having added nothing, when a container names another resource.
 */
function addCpuMemoryPod(spec: V1PodSpec, totals: RequestTotals): boolean {
  let cpu = 0;
  let memory = 0;
  let nonZeroCpu = 0;
  let nonZeroMemory = 0;
  let first: First = NEITHER;
  for (const container of spec.containers ?? []) {
    if (!scanContainer(container)) return false;
    cpu += scanned.cpu;
    memory += scanned.memory;
    nonZeroCpu += scanned.hasCpu ? scanned.cpu : DEFAULT_MILLI_CPU_REQUEST;
    nonZeroMemory += scanned.hasMemory ? scanned.memory : DEFAULT_MEMORY_REQUEST;
    if (first === NEITHER) first = scanned.first;
  }
  let sidecarCpu = 0;
  let sidecarMemory = 0;
  let sidecarNonZeroCpu = 0;
  let sidecarNonZeroMemory = 0;
  let sidecarFirst: First = NEITHER;
  let peakCpu = 0;
  let peakMemory = 0;
  let peakNonZeroCpu = 0;
  let peakNonZeroMemory = 0;
  let peakFirst: First = NEITHER;
  for (const container of spec.initContainers ?? []) {
    if (!scanContainer(container)) return false;
    const ownNonZeroCpu = scanned.hasCpu ? scanned.cpu : DEFAULT_MILLI_CPU_REQUEST;
    const ownNonZeroMemory = scanned.hasMemory ? scanned.memory : DEFAULT_MEMORY_REQUEST;
    if (container.restartPolicy === 'Always') {
      // A sidecar runs beside the app containers and every init container after it.
      cpu += scanned.cpu;
      memory += scanned.memory;
      nonZeroCpu += ownNonZeroCpu;
      nonZeroMemory += ownNonZeroMemory;
      if (first === NEITHER) first = scanned.first;
      sidecarCpu += scanned.cpu;
      sidecarMemory += scanned.memory;
      sidecarNonZeroCpu += ownNonZeroCpu;
      sidecarNonZeroMemory += ownNonZeroMemory;
      if (sidecarFirst === NEITHER) sidecarFirst = scanned.first;
      peakCpu = Math.max(peakCpu, sidecarCpu);
      peakMemory = Math.max(peakMemory, sidecarMemory);
      peakNonZeroCpu = Math.max(peakNonZeroCpu, sidecarNonZeroCpu);
      peakNonZeroMemory = Math.max(peakNonZeroMemory, sidecarNonZeroMemory);
      if (peakFirst === NEITHER) peakFirst = sidecarFirst;
    } else {
      peakCpu = Math.max(peakCpu, scanned.cpu + sidecarCpu);
      peakMemory = Math.max(peakMemory, scanned.memory + sidecarMemory);
      peakNonZeroCpu = Math.max(peakNonZeroCpu, ownNonZeroCpu + sidecarNonZeroCpu);
      peakNonZeroMemory = Math.max(peakNonZeroMemory, ownNonZeroMemory + sidecarNonZeroMemory);
      // Sidecars before it have named their resources in peakFirst already.
      if (peakFirst === NEITHER) peakFirst = scanned.first;
    }
  }
  if (first === NEITHER) first = peakFirst;
  cpu = Math.max(cpu, peakCpu);
  memory = Math.max(memory, peakMemory);
  if (first === MEMORY_FIRST) {
    totals.add(MEMORY, memory);
    totals.add(CPU, cpu);
  } else {
    totals.add(CPU, cpu);
    totals.add(MEMORY, memory);
  }
  totals.nonZeroCpu += Math.max(nonZeroCpu, peakNonZeroCpu);
  totals.nonZeroMemory += Math.max(nonZeroMemory, peakNonZeroMemory);
  return true;
}

/** Adds the pod's effective request (not its pod slot) to running totals. */
export function addPodRequest(spec: V1PodSpec, totals: RequestTotals): void {
  const plain = !spec.overhead && !spec.resources;
  if (plain && !spec.initContainers?.length) {
    addAppContainers(spec.containers ?? [], totals);
    return;
  }
  if (plain && addCpuMemoryPod(spec, totals)) return;
  const request = podRequest(spec);
  for (const name in request.resources) totals.add(name, request.resources[name] as number);
  totals.nonZeroCpu += request.nonZeroCpu;
  totals.nonZeroMemory += request.nonZeroMemory;
}
