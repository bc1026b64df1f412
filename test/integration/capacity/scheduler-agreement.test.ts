/**
 * Our fit prediction against the real kube-scheduler, on random node sets
 * (sizes, labels, taints, cordons) and random pods (some pinned by node name). Each case adds its own
 * kwok nodes, labelled and tainted so that only its pods can land there and
 * other tests' pods never do; its pods are created one at a time, each after
 * the scheduler has decided the previous one, so both place them in the same order.
 *
 * Two checks per case:
 *  - replay: following the scheduler's own choices, our filters accept every
 *    node it bound a pod to, reject every node for each pod it left Pending,
 *    and our message is its message, word for word;
 *  - prediction: our own free-running prediction agrees pod for pod on fits /
 *    Pending, unless our run passed through a tie the scheduler breaks at random.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import type { V1PodSpec } from '@kubernetes/client-node';
import { predictFit, type FitReport, type PodToPlace } from '../../../main/capacity/fit';
import { verdictsFor, type NodeRejection } from '../../../main/capacity/filters';
import { initialStates, place, preparePod } from '../../../main/capacity/placement-state';
import { AFFINITY_CONFLICT_MESSAGE, fitErrorMessage } from '../../../main/capacity/scheduler-message';
import { snapshotFromCluster } from '../../../main/capacity/snapshot-cluster';
import type { ClusterSnapshot } from '../../../main/capacity/snapshot';
import { LABELS, podSpecOf, randomNode, randomPod, TAINTS, type RandomNode, type RandomPod } from '../../unit/capacity/arbitraries';
import { createAndAwaitDecision, createNamespace, deleteNamespace, openBed, type Bed, type SchedulerDecision } from './bed';

const CASES = Number(process.env.AFP_CAPACITY_CASES ?? 15);
const CASE_KEY = 'afp.dev/capacity-case';

interface CaseResult {
  /** Another test changed the cluster's other nodes during the case: its messages cannot be compared. */
  disturbed: boolean;
  pods: number;
  pending: number;
  sameNode: number;
  tieExplained: boolean;
}

function caseNodes(id: string, nodes: readonly RandomNode[]) {
  return nodes.map((node, index) => ({
    name: `cap-${id}-${index}`,
    cpu: `${node.cpuMilli}m`,
    memory: `${node.memoryMi}Mi`,
    pods: node.pods,
    labels: { [CASE_KEY]: id, ...(node.label === null ? {} : LABELS[node.label]) },
    taints: [
      { key: CASE_KEY, value: id, effect: 'NoSchedule' as const },
      ...(node.taint === null ? [] : [{ ...(TAINTS[node.taint] as (typeof TAINTS)[number]) }]),
    ],
  }));
}

interface CasePod {
  pod: RandomPod;
  /** Pin to the case's node of this index (if it exists) by node-name affinity, as DaemonSets do. */
  pin: number | null;
}

const casePod = fc.record({
  pod: randomPod,
  pin: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.nat(4), weight: 1 }),
});

function casePodSpec(id: string, { pod, pin }: CasePod): V1PodSpec {
  const spec = podSpecOf(pod);
  spec.nodeSelector = { ...(spec.nodeSelector ?? {}), [CASE_KEY]: id };
  if (pin !== null) {
    const name = { key: 'metadata.name', operator: 'In', values: [`cap-${id}-${pin}`] };
    spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [name] }] } } };
  }
  spec.tolerations = [...(spec.tolerations ?? []), { key: CASE_KEY, operator: 'Equal', value: id, effect: 'NoSchedule' }];
  spec.terminationGracePeriodSeconds = 0;
  return spec;
}

/** Follows the scheduler's choices with our filters; returns the first disagreement in words, if any. */
function replayDisagreement(
  snapshot: ClusterSnapshot,
  pods: readonly PodToPlace[],
  decisions: readonly SchedulerDecision[],
): string | undefined {
  const states = initialStates(snapshot.nodes);
  const index = new Map(states.map((state, i) => [state.node.name, i]));
  for (const [i, pod] of pods.entries()) {
    const decision = decisions[i] as SchedulerDecision;
    const prepared = preparePod(pod);
    const verdicts = verdictsFor(prepared, states);
    if (verdicts === 'conflict') {
      const ours = AFFINITY_CONFLICT_MESSAGE(states.length);
      if (decision.node !== undefined || decision.message !== ours)
        return `${pod.name}: the scheduler said ${JSON.stringify(decision)}, we say ${ours}`;
      continue;
    }
    const rejections = verdicts;
    if (decision.node !== undefined) {
      const at = index.get(decision.node);
      if (at === undefined) return `${pod.name}: the scheduler used node ${decision.node}, absent from our snapshot`;
      const rejection = rejections[at];
      if (rejection)
        return `${pod.name}: the scheduler bound it to ${decision.node}, which our filters reject (${rejection.reasons.join(', ')})`;
      place(states[at] as (typeof states)[number], prepared);
    } else {
      const feasible = states.filter((_, at) => !rejections[at]).map((state) => state.node.name);
      if (feasible.length > 0) return `${pod.name}: the scheduler left it Pending, our filters accept ${feasible.join(', ')}`;
      const ours = fitErrorMessage(
        rejections.filter((r): r is NodeRejection => r !== null),
        pod.spec.preemptionPolicy,
      );
      if (ours !== decision.message) return `${pod.name}: messages differ\n  scheduler: ${decision.message}\n  ours:      ${ours}`;
    }
  }
  return undefined;
}

/** The nodes outside the case, as the scheduler filters them. */
function othersSignature(snapshot: ClusterSnapshot, id: string): string {
  const others = snapshot.nodes.filter((node) => node.labels[CASE_KEY] !== id);
  return JSON.stringify(others.map((node) => [node.name, node.unschedulable, node.taints, node.labels]));
}

/**
 * Other tests share the bed (npm test runs two files at a time) and may cordon,
 * taint or add nodes; those count in the scheduler's message too.
 */
function othersChanged(before: ClusterSnapshot, after: ClusterSnapshot, id: string): boolean {
  return othersSignature(before, id) !== othersSignature(after, id);
}

/** Pods where prediction and scheduler disagree on fits / Pending, and whether a tie came first. */
function predictionDisagreement(report: FitReport, decisions: readonly SchedulerDecision[]): { first?: number; tieBefore: boolean } {
  const first = report.perPod.findIndex((pod, i) => pod.fits !== (decisions[i]?.node !== undefined));
  if (first < 0) return { tieBefore: false };
  return { first, tieBefore: report.perPod.slice(0, first).some((pod) => (pod.tiedNodes?.length ?? 0) > 0) };
}

async function runCase(bed: Bed, nodes: readonly RandomNode[], randomPods: readonly CasePod[]): Promise<CaseResult> {
  const id = randomBytes(3).toString('hex');
  const shapes = caseNodes(id, nodes);
  const namespace = `cap-${id}`;
  const disturbed: CaseResult = { disturbed: true, pods: 0, pending: 0, sameNode: 0, tieExplained: false };
  // The bed's own node tests may reset the nodes (removing ours) while a case runs.
  const caseNodesGone = async (): Promise<boolean> => {
    const names = new Set(await bed.nodes.listNodeNames());
    return shapes.some((shape) => !names.has(shape.name));
  };
  try {
    for (const shape of shapes) await bed.nodes.addNode(shape);
    for (const [i, node] of nodes.entries()) if (node.cordoned) await bed.nodes.cordon(shapes[i]?.name as string);
    await createNamespace(bed.core, namespace);
    // Let the scheduler's informers see the new nodes and cordons before the first pod.
    await sleep(1000);
    const pods: PodToPlace[] = randomPods.map((pod, i) => ({ component: 'random', name: `p${i}`, spec: casePodSpec(id, pod) }));
    const snapshot = await snapshotFromCluster(bed.kubeConfig);
    const report = predictFit(snapshot, pods);
    const decisions: SchedulerDecision[] = [];
    for (const pod of pods) decisions.push(await createAndAwaitDecision(bed.core, namespace, pod.name, pod.spec));
    if (await caseNodesGone()) return disturbed;

    const context = `case ${id}: nodes ${JSON.stringify(shapes.map((s, i) => ({ ...s, cordoned: nodes[i]?.cordoned })))}\npods ${JSON.stringify(pods.map((p) => p.spec))}\nscheduler ${JSON.stringify(decisions)}`;
    const replay = replayDisagreement(snapshot, pods, decisions);
    if (replay !== undefined && othersChanged(snapshot, await snapshotFromCluster(bed.kubeConfig), id)) return disturbed;
    assert.equal(replay, undefined, `${replay ?? ''}\n${context}`);
    const { first, tieBefore } = predictionDisagreement(report, decisions);
    assert.ok(
      first === undefined || tieBefore,
      `prediction differs at ${report.perPod[first ?? 0]?.pod} with no tie before it\nours ${JSON.stringify(report.perPod)}\n${context}`,
    );
    return {
      disturbed: false,
      pods: pods.length,
      pending: decisions.filter((d) => d.node === undefined).length,
      sameNode: report.perPod.filter((pod, i) => pod.fits && pod.node === decisions[i]?.node).length,
      tieExplained: first !== undefined,
    };
  } catch (error) {
    if (await caseNodesGone().catch(() => false)) return disturbed;
    throw error;
  } finally {
    await deleteNamespace(bed.core, namespace);
    for (const shape of shapes) await bed.nodes.removeNode(shape.name);
  }
}

test('our fit prediction agrees with kube-scheduler on random node sets and pods', { timeout: 10 * 60_000 }, async (t) => {
  const bed = openBed();
  t.after(() => bed.close());
  const totals = { cases: 0, disturbed: 0, pods: 0, pending: 0, sameNode: 0, tieExplained: 0 };
  const started = Date.now();
  await fc.assert(
    // Unbiased: fast-check otherwise favours the smallest nodes, where nearly every pod stays Pending.
    fc.asyncProperty(
      fc.noBias(fc.array(randomNode, { minLength: 2, maxLength: 5 })),
      fc.noBias(fc.array(casePod, { minLength: 1, maxLength: 12 })),
      async (nodes, pods) => {
        let result: CaseResult;
        try {
          result = await runCase(bed, nodes, pods);
        } catch (error) {
          // fast-check reports only the inputs; the case's own explanation goes to the log.
          t.diagnostic(error instanceof Error ? error.message : String(error));
          throw error;
        }
        totals.cases += 1;
        if (result.disturbed) totals.disturbed += 1;
        totals.pods += result.pods;
        totals.pending += result.pending;
        totals.sameNode += result.sameNode;
        if (result.tieExplained) totals.tieExplained += 1;
      },
    ),
    // Each case costs real scheduling; a failure reports its case as is, without shrinking.
    { numRuns: CASES, endOnFailure: true },
  );
  t.diagnostic(
    `${totals.cases} cases (${totals.disturbed} disturbed by other tests), ${totals.pods} pods (${totals.pending} Pending) in ${Math.round((Date.now() - started) / 1000)} s; ` +
      `same node as the scheduler for ${totals.sameNode} of ${totals.pods - totals.pending} placed; ${totals.tieExplained} case(s) diverged after a random tie`,
  );
  assert.ok(totals.disturbed <= totals.cases / 3, `${totals.disturbed} of ${totals.cases} cases were disturbed by other tests`);
  assert.ok(totals.pending > 0 && totals.pending < totals.pods, 'the cases exercise both fitting and Pending pods');
});
