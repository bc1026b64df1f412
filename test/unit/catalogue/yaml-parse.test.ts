import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { formatError } from '../../../main/errors';
import { parseWithSchema } from '../../../main/yaml/parse';

const schema = z.strictObject({
  parameters: z.record(
    z.string(),
    z.strictObject({
      type: z.string(),
      max: z.int({ error: (i) => (i.input === undefined ? undefined : `expected integer, got ${JSON.stringify(i.input)}`) }).optional(),
    }),
  ),
});

describe('YAML with a schema, every problem at its line', () => {
  it('names file, line and field for a wrong type', () => {
    const text = ['parameters:', '  workers:', '    type: integer', '    max: ten', ''].join('\n');
    const result = parseWithSchema(text, 'my.yaml', schema, 'invalid_template');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.errors.map(formatError), ['my.yaml:4: parameters.workers.max: expected integer, got "ten"']);
    assert.equal(result.errors[0]?.code, 'invalid_template');
  });

  it('makes an unknown field an error at the line of its key', () => {
    const text = ['parameters:', '  workers:', '    type: integer', '    maxx: 3', ''].join('\n');
    const result = parseWithSchema(text, 'my.yaml', schema, 'invalid_profile');
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.errors.map(formatError), ['my.yaml:4: parameters.workers.maxx: unknown field']);
  });

  it('gives a YAML syntax error with file and line', () => {
    const text = ['parameters:', '  workers:', '    type: integer', '   max: 3', '  - broken', ''].join('\n');
    const result = parseWithSchema(text, 'bad.yaml', schema, 'invalid_input');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors[0]?.file, 'bad.yaml');
    assert.equal(typeof result.errors[0]?.line, 'number');
    assert.match(result.errors[0]?.message ?? '', /^YAML syntax: /);
  });

  it('refuses duplicate keys', () => {
    const result = parseWithSchema('parameters: {}\nparameters: {}\n', 'dup.yaml', schema, 'invalid_input');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors[0]?.line, 2);
  });

  it('returns the value and a way to find lines when valid', () => {
    const result = parseWithSchema('parameters:\n  a:\n    type: x\n', 'ok.yaml', schema, 'invalid_input');
    assert.equal(result.ok, true);
    if (result.ok) {
      assert.equal(result.value.parameters.a?.type, 'x');
      assert.equal(result.lineOf(['parameters', 'a', 'type']), 3);
    }
  });
});
