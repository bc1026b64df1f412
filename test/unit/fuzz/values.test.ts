/** Fuzzed values, from a values file as `afp export --values` reads it: clear errors naming the file, the line and the parameter. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseTemplate } from '../../../main/catalogue/template';
import { resolveValues } from '../../../main/catalogue/values';
import { readValues } from '../../../main/cli/values-input';
import { isAfpError } from '../../../main/errors';
import { renderPlan } from '../../../main/render/plan';
import { problemsOf } from '../../../main/yaml/problems';
import { assertClearError, fuzzParameters, settle, yamlValue, yamlishText, holds } from './support';

const parsed = parseTemplate(
  readFileSync(new URL('../../../templates/analysis-facility.yaml', import.meta.url), 'utf8'),
  'analysis-facility.yaml',
  'built-in',
);
if (!parsed.ok) throw new Error('the built-in template does not load');
const template = parsed.template;
const names = Object.keys(template.parameters);
const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-fuzz-values-'));
const FILE = 'values.yaml';

/** The values a user might type: right names with odd values, near-miss names, quantities in every spelling. */
const valuesMap = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom(...names).map((n) => n.toUpperCase()),
    fc.string({ maxLength: 12 }),
  ),
  fc.oneof(
    yamlValue,
    fc.constantFrom('2', '0.5', '1500m', '4Gi', '4G', '4gb', '1Ti', '-2Gi', '1e3', 'Infinity', '0x10', ' 3 ', 'true', 'large'),
  ),
  { maxKeys: 6 },
);

async function check(text: string): Promise<void> {
  writeFileSync(path.join(dir, FILE), text);
  const started = Date.now();
  let input;
  try {
    input = await readValues(template, FILE, [], dir);
  } catch (error) {
    assert.ok(isAfpError(error), `threw ${String(error)}`);
    for (const problem of problemsOf(error)) assertClearError(problem, { file: FILE });
    return;
  }
  const resolved = resolveValues(template.name, template.parameters, input.values, input.origin);
  if (!resolved.ok) {
    for (const error of resolved.errors) {
      assertClearError(error, { file: FILE });
      assert.ok(error.field !== undefined, 'a value error names the parameter');
    }
    return;
  }
  // Accepted values must render, or be refused in our words.
  await settle(() => renderPlan({ template, values: input.values, valuesOrigin: input.origin, environment: { name: 'fuzz' } }));
  assert.ok(Date.now() - started < 5000);
}

describe('fuzzed values files', { timeout: 120_000 }, () => {
  it('maps of near-right names and odd values', async () => {
    await holds(
      fc.asyncProperty(valuesMap, (values) => check(stringify(values))),
      fuzzParameters(40),
    );
  });

  it('text that is not a map at all', async () => {
    await holds(fc.asyncProperty(yamlishText, check), fuzzParameters(40));
  });
});
