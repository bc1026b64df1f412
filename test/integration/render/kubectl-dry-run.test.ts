/**
 * The API server itself accepts what we render: every built-in template with
 * every preset (and with an ingress domain), through
 * `kubectl apply --server-side --dry-run=server`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manifestYaml } from '../../../main/render/manifest';
import { renderPlan } from '../../../main/render/plan';
import { kubectl, withNamespace } from '../../support/testbed';
import { BUILTIN_NAMES, builtin } from '../../unit/catalogue/fixtures';

describe('kubectl apply --server-side --dry-run=server accepts every template × preset', () => {
  for (const name of BUILTIN_NAMES) {
    const template = builtin(name);
    const runs = [
      { label: 'defaults', values: {}, ingressDomain: 'apps.example.org' },
      ...template.presets.map((preset) => ({ label: preset.name, values: preset.values, ingressDomain: undefined })),
    ];
    for (const run of runs) {
      it(`${name} ${run.label}`, async (t) => {
        // The namespace must exist for a dry run of what goes in it; the plan's Namespace object is applied onto it.
        const namespace = await withNamespace(t, 'render');
        const plan = renderPlan({
          template,
          values: run.values,
          environment: { name: namespace },
          links: run.ingressDomain === undefined ? {} : { ingressDomain: run.ingressDomain, tls: true },
        });
        const result = await kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=afp', '-f', '-'], {
          input: manifestYaml(plan),
        });
        assert.equal(result.code, 0, result.stderr);
        const applied = result.stdout.trim().split('\n');
        assert.equal(applied.length, plan.objects.length, result.stdout);
        assert.ok(
          applied.every((line) => line.endsWith('(server dry run)')),
          result.stdout,
        );
      });
    }
  }
});
