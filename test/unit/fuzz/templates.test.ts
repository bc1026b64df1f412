/** Fuzzed templates: every input ends in a checked template or errors naming the file and the line or field. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTemplate } from '../../../main/catalogue/template';
import { renderPlan } from '../../../main/render/plan';
import { assertClearError, fuzzParameters, mutatedDocument, settle, yamlishText, holds } from './support';

const FILE = 'site-templates/fuzzed.yaml';
const builtins = ['analysis-facility', 'jupyterhub', 'dask', 'minio'].map((name) =>
  readFileSync(new URL(`../../../templates/${name}.yaml`, import.meta.url), 'utf8'),
);

async function checkTemplate(text: string): Promise<void> {
  const { value: result } = await settle(() => parseTemplate(text, FILE));
  assert.ok(result !== undefined, 'parseTemplate answers with a result, it does not throw');
  if (!result.ok) {
    assert.ok(result.errors.length > 0);
    for (const error of result.errors) assertClearError(error, { file: FILE });
    return;
  }
  // A template that passes the checks must render with its defaults, or say why in our words.
  await settle(() => renderPlan({ template: result.template, environment: { name: 'fuzz' } }));
}

describe('fuzzed templates', { timeout: 120_000 }, () => {
  it('random and YAML-like text', async () => {
    await holds(fc.asyncProperty(yamlishText, checkTemplate), fuzzParameters(40));
  });

  it('built-in templates with one field changed, removed or added', async () => {
    await holds(fc.asyncProperty(fc.oneof(...builtins.map(mutatedDocument)), checkTemplate), fuzzParameters(60));
  });
});
