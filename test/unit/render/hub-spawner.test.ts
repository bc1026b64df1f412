/**
 * What the hub tells KubeSpawner, checked on the rendered jupyterhub_config.py
 * of every built-in with a hub: found wrong by the physicist's journey on real
 * nodes (test/integration/journey/), where the user's server must be
 * reachable through the proxy and signed in through the hub.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPlan } from '../../../main/render/plan';
import { builtin } from '../catalogue/fixtures';

function hubConfig(template: string): string {
  const plan = renderPlan({ template: builtin(template), environment: { name: 'lab' } });
  const files = plan.objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'hub-files') as
    { data?: Record<string, string> } | undefined;
  const config = Object.values(files?.data ?? {}).find((text) => text.includes('get_config()'));
  assert.ok(config !== undefined, `${template} renders a jupyterhub_config.py`);
  return config;
}

describe("the hub's spawner configuration", () => {
  for (const template of ['jupyterhub', 'analysis-facility']) {
    it(`${template}: users' servers run jupyterhub-singleuser, not the image's own command (which serves at / with its own token)`, () => {
      assert.match(hubConfig(template), /^c\.KubeSpawner\.cmd = \["jupyterhub-singleuser"\]$/m);
    });
  }
});

describe("users' servers carry the template's component label", () => {
  for (const template of ['jupyterhub', 'analysis-facility']) {
    it(`${template}: set as KubeSpawner's component_label, which KubeSpawner writes over common_labels`, () => {
      const config = hubConfig(template);
      assert.match(config, /^c\.KubeSpawner\.component_label = "jupyter-user"$/m);
      assert.doesNotMatch(config, /"app\.kubernetes\.io\/component":/, 'not in common_labels, where KubeSpawner overwrites it');
    });
  }
});
