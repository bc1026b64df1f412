/** Fuzzed site profiles: every input loads or is refused with errors naming the file and the line or field. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseProfile } from '../../../main/site/profile-parse';
import { assertClearError, fuzzParameters, mutatedDocument, settle, yamlishText, holds } from './support';

// The example profile with its logo and template folder beside it, so only the mutation can make it wrong.
const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-fuzz-profile-'));
cpSync(new URL('../../../docs/examples', import.meta.url), dir, { recursive: true });
const FILE = path.join(dir, 'fuzzed.yaml');
const example = readFileSync(path.join(dir, 'naples-af.yaml'), 'utf8');

async function check(text: string): Promise<void> {
  writeFileSync(FILE, text);
  const { value: load } = await settle(() => parseProfile(text, FILE, 'cli'));
  assert.ok(load !== undefined, 'parseProfile answers, it does not throw');
  if (!load.ok) for (const error of load.errors) assertClearError(error, { file: FILE });
}

describe('fuzzed site profiles', { timeout: 120_000 }, () => {
  it('the example profile loads as it is', async () => {
    const { value } = await settle(() => parseProfile(example, path.join(dir, 'naples-af.yaml'), 'cli'));
    assert.equal(value?.ok, true);
  });

  it('random and YAML-like text', async () => {
    await holds(fc.asyncProperty(yamlishText, check), fuzzParameters(40));
  });

  it('the example with one field changed, removed or added', async () => {
    await holds(fc.asyncProperty(mutatedDocument(example), check), fuzzParameters(80));
  });
});
