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
import type { FitReport, PodToPlace } from '../capacity/fit';
import { CPU, MEMORY, PODS, type ResourceList } from '../capacity/resources';
import { fitSummary, overflowByNode } from '../capacity/fit-summary';
import { judgePresets, knobForParameter, type NumericKnob } from '../capacity/sizing';
import { suggestKnobs } from '../capacity/suggestions';
import type { ClusterSnapshot } from '../capacity/snapshot';
import type { ActiveProfile } from '../site/active-profile';
import { describeKubeError } from '../kube/api-errors';
import { NoKubeconfigError } from '../kube/kubeconfig';
import { fitExpandedPods, readCapacity } from './capacity-source';
import { LiveCapacityRegistry } from '../capacity/live-capacity';
import { PlanMemo } from './plan-memo';

/** The knobs physicists turn most; others are left to the form. */
const KNOBS = ['workers', 'workerCpu', 'workerMemory'];
const SNAPSHOT_TTL_MS = 5_000;

const amounts = (list: ResourceList): { cpu: number; memory: number; pods: number } => ({
  cpu: list[CPU] ?? 0,
  memory: list[MEMORY] ?? 0,
  pods: list[PODS] ?? 0,
});

export class CapacityViews {
  private cache = new Map<string, { at: number; snapshot: Promise<ClusterSnapshot> }>();
  /** Clusters are watched, not relisted per keystroke (issue "Faster where users feel it"). */
  private readonly live = new LiveCapacityRegistry();
  /** Renders of the plan, presets and knob values, mostly the same from one keystroke to the next. */
  private readonly plans = new PlanMemo();

  dispose(): void {
    this.live.dispose();
  }

  async fit(catalogue: Catalogue, request: PlanRequest, source: CapacitySource, profile: ActiveProfile | null): Promise<FitView> {
    let snapshot: ClusterSnapshot;
    let sourceLabel: Message;
    try {
      [snapshot, sourceLabel] = await this.snapshot(source, profile);
    } catch (error) {
      // Configure's panel: the path and the way out (this view is the GUI's; afp fit prints its own flags).
      if (error instanceof NoKubeconfigError)
        return { ok: false, reason: say('fit.noKubeconfig', { problem: error.said ?? error.message }) };
      const problem = isAfpError(error) ? error : describeKubeError(error);
      return { ok: false, reason: problem.said ?? say('fit.cannotRead', { problem: problem.message }) };
    }
    const template = catalogue.require(request.template);
    const podsFor = (values: Record<string, unknown>): readonly PodToPlace[] =>
      this.plans.plan(catalogue, { ...request, values: values as PlanRequest['values'] }, profile).pods;
    let report: FitReport;
    let replacedPods: number;
    let current: Record<string, unknown>;
    try {
      const plan = this.plans.plan(catalogue, request, profile);
      current = plan.values;
      ({ snapshot, report, replacedPods } = fitExpandedPods(snapshot, plan.pods, plan.namespace));
    } catch (error) {
      if (isAfpError(error)) return { ok: false, reason: say('fit.waitingForValues') };
      throw error;
    }
    const presets = await judgePresets(
      snapshot,
      template.presets.map((p) => ({ name: p.name, values: { ...request.values, ...p.values } })),
      podsFor,
    ).catch(() => []);
    const knobs: NumericKnob[] = [];
    for (const name of KNOBS) {
      const parameter = template.parameters[name];
      if (parameter === undefined || parameter.locked !== undefined) continue;
      const knob = knobForParameter(name, parameter);
      if (knob !== undefined) knobs.push(knob);
    }
    const suggestions = await suggestKnobs(snapshot, request.values, current, report.allFit, knobs, podsFor).catch(() => []);
    const overflow = overflowByNode(report);
    return {
      ok: true,
      sourceLabel,
      replacedPods,
      allFit: report.allFit,
      summary: fitSummary(report),
      pods: report.perPod.map((pod) => ({
        component: pod.component,
        pod: pod.pod,
        spawned: pod.spawned === true,
        fits: pod.fits,
        node: pod.node,
        message: pod.message,
        hint: pod.hint,
        hints: pod.hints,
      })),
      nodes: report.nodes.map((node) => ({
        name: node.name,
        schedulable: node.schedulable,
        ready: node.ready,
        allocatable: amounts(node.allocatable),
        usedBefore: amounts(node.requestedBefore),
        everyNode: amounts(node.everyNode),
        planned: amounts(node.planned),
        plannedPods: node.plannedPods.length,
        overflow: amounts(overflow.get(node.name)?.request ?? {}),
        overflowPods: overflow.get(node.name)?.pods ?? [],
      })),
      presets: presets.map((verdict) => ({ preset: verdict.preset, fits: verdict.fits, pending: verdict.pending })),
      suggestions,
    };
  }

  private async snapshot(source: CapacitySource, profile: ActiveProfile | null): Promise<[ClusterSnapshot, Message]> {
    const reading = readCapacity(source, profile, this.live);
    if (reading.live === true) return [await reading.read(), reading.label];
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
