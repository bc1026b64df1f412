import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { builtinTemplatesDir } from '../../../main/catalogue/builtin';
import { templateJsonSchemaFile, templateJsonSchemaText } from '../../../main/catalogue/json-schema';
import { parseTemplate } from '../../../main/catalogue/template';
import { checkTemplate } from '../../../main/render/check-template';
import { BUILTIN_NAMES } from './fixtures';

describe('the published JSON Schema of the template format', () => {
  it('is the one generated from the zod schema (regenerate: npx tsx main/catalogue/write-json-schema.ts)', () => {
    assert.equal(readFileSync(templateJsonSchemaFile(), 'utf8'), templateJsonSchemaText());
  });

  it('accepts every built-in template and rejects a typo, as an editor would', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(templateJsonSchemaFile(), 'utf8')) as object);
    for (const name of BUILTIN_NAMES) {
      const document: unknown = parse(readFileSync(path.join(builtinTemplatesDir(), `${name}.yaml`), 'utf8'));
      assert.equal(validate(document), true, `${name}: ${JSON.stringify(validate.errors)}`);
    }
    const typo: unknown = parse(
      readFileSync(path.join(builtinTemplatesDir(), 'dask.yaml'), 'utf8').replace('    min: 0\n', '    minimum: 0\n'),
    );
    assert.equal(validate(typo), false);
  });

  it('the complete example of templates/README.md is a valid template', () => {
    const readme = readFileSync(path.join(builtinTemplatesDir(), 'README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const result = parseTemplate(example, 'README.md');
    assert.equal(result.ok, true, JSON.stringify(result.ok ? [] : result.errors));
    if (result.ok) assert.deepEqual(checkTemplate(result.template), []);
  });
});
