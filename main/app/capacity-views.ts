/**
 * Configure's capacity view: the plan's pods placed on the cluster as it is
 * now (or on the site profile's declared nodes), presets judged, and the
 * largest Dask worker count and memory that still fit.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { CapacitySource, FitView } from '../contract/capacity';
import type { PlanRequest } from '../contract/plan';
import { isAfpError } from '../errors';
import { say, type Message } from '../messages/message';
import type { FitReport } from '../capacity/fit';
import { podsFromPlan } from '../capacity/plan-pods';
import { CPU, MEMORY, PODS, type ResourceList } from '../capacity/resources';
import { judgePresets, knobForParameter, largestThatFits } from '../capacity/sizing';
import type { ClusterSnapshot } from '../capacity/snapshot';
import type { ActiveProfile } from '../site/active-profile';
import { describeKubeError } from '../kube/api-errors';
import { fitPods, readCapacity } from './capacity-source';
import { planFor } from './plan-views';

/** The knobs physicists turn most; others are left to the form. */
const KNOBS = ['workers', 'workerMemory'];
const SNAPSHOT_TTL_MS = 5_000;

const amounts = (list: ResourceList): { cpu: number; memory: number; pods: number } => ({
  cpu: list[CPU] ?? 0,
  memory: list[MEMORY] ?? 0,
  pods: list[PODS] ?? 0,
});

export class CapacityViews {
  private cache = new Map<string, { at: number; snapshot: Promise<ClusterSnapshot> }>();

  async fit(catalogue: Catalogue, request: PlanRequest, source: CapacitySource, profile: ActiveProfile | null): Promise<FitView> {
    let snapshot: ClusterSnapshot;
    let sourceLabel: Message;
    try {
      [snapshot, sourceLabel] = await this.snapshot(source, profile);
    } catch (error) {
      const problem = isAfpError(error) ? error : describeKubeError(error);
      return { ok: false, reason: problem.said ?? say('fit.cannotRead', { problem: problem.message }) };
    }
    const template = catalogue.require(request.template);
    const podsFor = (values: Record<string, unknown>): ReturnType<typeof podsFromPlan> =>
      podsFromPlan(planFor(catalogue, { ...request, values: values as PlanRequest['values'] }, profile).pods);
    let report: FitReport;
    let replacedPods: number;
    try {
      const plan = planFor(catalogue, request, profile);
      ({ snapshot, report, replacedPods } = fitPods(snapshot, plan.pods, plan.environment.namespace));
    } catch (error) {
      if (isAfpError(error)) return { ok: false, reason: say('fit.waitingForValues') };
      throw error;
    }
    const presets = await judgePresets(
      snapshot,
      template.presets.map((p) => ({ name: p.name, values: { ...request.values, ...p.values } })),
      podsFor,
    ).catch(() => []);
    const largest = [];
    for (const name of KNOBS) {
      const parameter = template.parameters[name];
      if (parameter === undefined || parameter.locked !== undefined) continue;
      const knob = knobForParameter(name, parameter);
      if (knob === undefined) continue;
      const result = await largestThatFits(snapshot, request.values, knob, podsFor).catch(() => undefined);
      if (result !== undefined) largest.push({ parameter: name, value: (result.value as string | number | null) ?? null });
    }
    return {
      ok: true,
      sourceLabel,
      replacedPods,
      allFit: report.allFit,
      pods: report.perPod.map((pod) => ({
        component: pod.component,
        pod: pod.pod,
        spawned: pod.spawned === true,
        fits: pod.fits,
        ...(pod.node === undefined ? {} : { node: pod.node }),
        ...(pod.message === undefined ? {} : { message: pod.message }),
        ...(pod.hint === undefined ? {} : { hint: pod.hint }),
        ...(pod.hints === undefined ? {} : { hints: pod.hints }),
      })),
      nodes: report.nodes.map((node) => ({
        name: node.name,
        schedulable: node.schedulable,
        ready: node.ready,
        allocatable: amounts(node.allocatable),
        usedBefore: amounts(node.requestedBefore),
        planned: amounts(node.planned),
        plannedPods: node.plannedPods.length,
      })),
      presets: presets.map((verdict) => ({ preset: verdict.preset, fits: verdict.fits, pending: verdict.pending })),
      largest,
    };
  }

  private async snapshot(source: CapacitySource, profile: ActiveProfile | null): Promise<[ClusterSnapshot, Message]> {
    const reading = readCapacity(source, profile);
    const cached = this.cache.get(reading.key);
    // Keystrokes re-ask within seconds: one list of nodes and pods serves them all.
    if (cached === undefined || Date.now() - cached.at > SNAPSHOT_TTL_MS) {
      const snapshot = reading.read();
      this.cache.set(reading.key, { at: Date.now(), snapshot });
      snapshot.catch(() => this.cache.delete(reading.key));
    }
    const snapshot = await (this.cache.get(reading.key)?.snapshot ?? reading.read());
    return [snapshot, reading.label];
  }
}
