/**
 * The Configure page's "Will it fit?" per keystroke (CapacityViews.fit) keeps
 * renders and fits from one keystroke to the next (plan-memo.ts, fit.ts). A
 * run of keystrokes on one view must answer exactly as a new view asked each
 * value once, and as the plan, presets and suggestions worked out from
 * scratch: fresh renders, a fresh snapshot, nothing remembered. Capacity is a
 * site profile's declared nodes (135, so the scheduler's sampling applies),
 * with taints, a cordoned group and per-node headroom.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { fitSummary } from '../../../main/capacity/fit-summary';
import { predictFit } from '../../../main/capacity/fit';
import { podsFromPlan } from '../../../main/capacity/plan-pods';
import { judgePresets, knobForParameter, type NumericKnob, type Values } from '../../../main/capacity/sizing';
import { snapshotFromProfile } from '../../../main/capacity/snapshot-profile';
import { suggestKnobs } from '../../../main/capacity/suggestions';
import { CapacityViews } from '../../../main/app/capacity-views';
import { planFor } from '../../../main/app/plan-views';
import type { PlanRequest } from '../../../main/contract/plan';
import { parseProfile } from '../../../main/site/profile-parse';
import { profileText } from '../site/profile-fixture';

const CAPACITY = `capacity:
  headroom: { cpu: 500m, memory: 1Gi, pods: 4 }
  nodes:
    - { name: small, count: 60, cpu: "4", memory: 8Gi, labels: { topology.kubernetes.io/zone: a } }
    - { name: medium, count: 50, cpu: "8", memory: 32Gi, labels: { topology.kubernetes.io/zone: b } }
    - { name: gpu, count: 20, cpu: "32", memory: 128Gi, taints: [{ key: dedicated, value: gpu, effect: NoSchedule }] }
    - { name: drained, count: 5, cpu: "16", memory: 64Gi, unschedulable: true }
`;

/** A user typing: fits, then more than fits (Pending workers, then Pending users' servers), then back. */
const KEYSTROKES: Values[] = [
  {},
  { workers: 1 },
  { workers: 12 },
  { workers: 12, workerCpu: '6' },
  { workers: 64, workerCpu: '6', workerMemory: '24Gi' },
  { workers: 64, workerCpu: '6', workerMemory: '24Gi', users: 100, userCpu: '8' },
  { workers: 12, workerCpu: '6' },
  { workers: 12 },
];

const loaded = await parseProfile(profileText('Big site', CAPACITY), '/tmp/big-site.yaml', 'cli');
assert.ok(loaded.ok, JSON.stringify(loaded));
const profile = loaded.active;
const catalogue = await loadCatalogue();
const template = catalogue.require('analysis-facility');
const source = { kind: 'profile' } as const;
const request = (values: Values): PlanRequest => ({ template: template.name, values: values as PlanRequest['values'], target: 'kube' });

/** What the view computes, from scratch: every render fresh, a new snapshot, nothing shared between keystrokes. */
async function fromScratch(values: Values) {
  const capacity = profile.profile.capacity;
  assert.ok(capacity);
  const snapshot = snapshotFromProfile(capacity);
  const podsFor = (more: Values) => podsFromPlan(planFor(catalogue, request(more), profile).pods);
  const plan = planFor(catalogue, request(values), profile);
  const report = predictFit(snapshot, podsFromPlan(plan.pods));
  const presets = await judgePresets(
    snapshotFromProfile(capacity),
    template.presets.map((preset) => ({ name: preset.name, values: { ...values, ...preset.values } })),
    podsFor,
  );
  const knobs = ['workers', 'workerCpu', 'workerMemory'].map((name) => knobForParameter(name, template.parameters[name] ?? { type: '' }));
  const suggestions = await suggestKnobs(
    snapshotFromProfile(capacity),
    values,
    plan.values,
    report.allFit,
    knobs.filter((knob): knob is NumericKnob => knob !== undefined),
    podsFor,
  );
  return {
    allFit: report.allFit,
    summary: fitSummary(report),
    presets: presets.map((verdict) => ({ preset: verdict.preset, fits: verdict.fits, pending: verdict.pending })),
    suggestions,
  };
}

describe('Will it fit? keystroke by keystroke: what is kept between keystrokes changes no answer', () => {
  const typing = new CapacityViews();
  after(() => typing.dispose());

  it('one view asked at every keystroke answers as a new view asked once, and as working it all out from scratch', async () => {
    let pendingSeen = false;
    let raiseSeen = false;
    for (const values of KEYSTROKES) {
      const warm = await typing.fit(catalogue, request(values), source, profile);
      const fresh = new CapacityViews();
      const cold = await fresh.fit(catalogue, request(values), source, profile);
      fresh.dispose();
      assert.deepEqual(warm, cold, JSON.stringify(values));
      assert.ok(warm.ok, JSON.stringify(warm));
      const scratch = await fromScratch(values);
      assert.deepEqual(
        { allFit: warm.allFit, summary: warm.summary, presets: warm.presets, suggestions: warm.suggestions },
        scratch,
        JSON.stringify(values),
      );
      assert.equal(warm.nodes.length, 135);
      pendingSeen ||= warm.summary.pending > 0;
      raiseSeen ||= warm.suggestions.some((suggestion) => suggestion.direction === 'raise');
    }
    assert.ok(pendingSeen && raiseSeen, 'keystrokes that fit and keystrokes that do not are both compared');
  });
});
