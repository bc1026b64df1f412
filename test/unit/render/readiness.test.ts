/**
 * How soon Ready follows a component's process, on every built-in: the
 * physicist's journey on real nodes (bench/journey.ts) found workers Ready
 * 22 s after their container started, 15 s of it waiting on a 5 s initial
 * delay and a 10 s probe period, and a busy scheduler's 1 s probe timing out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPlan } from '../../../main/render/plan';
import { BUILTIN_NAMES, builtin } from '../catalogue/fixtures';

interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}
interface Workload {
  kind: string;
  metadata: { name: string };
  spec?: { template?: { spec?: { containers?: { name: string; readinessProbe?: Probe }[] } } };
}

describe('readiness probes of the built-ins', () => {
  for (const name of BUILTIN_NAMES) {
    it(`${name}: probed every 2 s or less from the start; one slow answer does not make a pod unready`, () => {
      const plan = renderPlan({ template: builtin(name), environment: { name: 'lab' } });
      const containers = (plan.objects as Workload[])
        .filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')
        .flatMap((object) =>
          (object.spec?.template?.spec?.containers ?? []).map((container) => ({ workload: object.metadata.name, container })),
        );
      assert.ok(containers.length > 0);
      for (const { workload, container } of containers) {
        const probe = container.readinessProbe;
        assert.ok(probe !== undefined, `${workload}/${container.name} has a readiness probe`);
        assert.ok((probe.periodSeconds ?? 10) <= 2, `${workload}: probed every ${probe.periodSeconds ?? 10} s`);
        assert.equal(probe.initialDelaySeconds ?? 0, 0, `${workload}: no initial delay`);
        const patience = (probe.timeoutSeconds ?? 1) * (probe.failureThreshold ?? 3);
        assert.ok(patience >= 5, `${workload}: unready only after ${patience} s of failed answers`);
      }
    });
  }
});
