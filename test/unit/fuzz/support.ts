/**
 * What every fuzz property checks: a bounded run, no exception but an
 * AfpError, and errors a user can act on (a code, a message in words, and the
 * file with a line or field when the input came from a file).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, parseDocument, stringify } from 'yaml';
import { ERROR_CODES, isAfpError, type ApiErrorShape } from '../../../main/errors';

/** AFP_FUZZ_RUNS raises the number of cases (npm test keeps it small); AFP_FUZZ_SEED replays a run. */
export function fuzzParameters(defaultRuns: number): { numRuns: number; seed: number; endOnFailure: boolean } {
  const runs = Number(process.env.AFP_FUZZ_RUNS || 'NaN');
  const seed = Number(process.env.AFP_FUZZ_SEED || 'NaN');
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    seed: Number.isInteger(seed) ? seed : 20261123,
    endOnFailure: true,
  };
}

/** Per case, generous for a loaded two-core machine; a parser that loops blows it by far. */
export const CASE_BUDGET_MS = 3000;

const NOT_WORDS: readonly RegExp[] = [
  /\[object Object\]/,
  /\n\s+at .+:\d+:\d+/,
  /^\s*(undefined|null|NaN)?\s*$/,
  /\bundefined\b/,
  /\bat Object\.</,
];

/** An error a user can read: known code, words (no stack, no "[object Object]", no "undefined"). */
export function assertClearError(error: ApiErrorShape, from?: { file: string }): void {
  assert.ok((ERROR_CODES as readonly string[]).includes(error.code), `unknown code ${error.code}`);
  assert.equal(typeof error.message, 'string');
  for (const pattern of NOT_WORDS) assert.doesNotMatch(error.message, pattern, `unclear message: ${JSON.stringify(error)}`);
  if (error.field !== undefined)
    assert.doesNotMatch(error.field, /\[object Object\]|\bundefined\b/, `unclear field: ${JSON.stringify(error)}`);
  if (from !== undefined) {
    assert.equal(error.file, from.file, `the error names the file: ${JSON.stringify(error)}`);
    assert.ok(error.line !== undefined || error.field !== undefined, `the error names a line or field: ${JSON.stringify(error)}`);
  }
}

/** Runs `work`; only an AfpError may escape, and it must be clear. Returns the error shape, if any. */
export async function settle<T>(work: () => T | Promise<T>, from?: { file: string }): Promise<{ value?: T; error?: ApiErrorShape }> {
  const started = Date.now();
  try {
    return { value: await work() };
  } catch (error) {
    assert.ok(isAfpError(error), `threw a non-AfpError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const shape = error.toJSON();
    assertClearError(shape, from);
    return { error: shape };
  } finally {
    const took = Date.now() - started;
    assert.ok(took < CASE_BUDGET_MS, `took ${took} ms`);
  }
}

/** Any JSON-ish value YAML can carry, for mutations. */
export const yamlValue: fc.Arbitrary<unknown> = fc.oneof(
  { withCrossShrink: true },
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '~',
    'yes',
    '0x1F',
    '1e400',
    '-',
    '{{ x }}',
    '${x}',
    '<<',
    '4Gi',
    '-1',
    '500m',
    'ghcr.io/x:latest',
    'a'.repeat(300),
  ),
  fc.string({ maxLength: 30 }),
  fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 3 }),
);

/** Every path to a value in a parsed document, so one can be picked and changed. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length === 0 ? [] : [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

export type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: yamlValue }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('replicas', 'image', 'type', 'min', '__proto__', 'constructor')),
    value: yamlValue,
  }),
);

/** A valid document with one field changed: the input an author's typo makes. */
export function mutatedDocument(text: string): fc.Arbitrary<string> {
  const doc = parseDocument(text);
  const paths = pathsOf(doc.toJS());
  return fc.tuple(fc.constantFrom(...paths), mutation).map(([at, change]) => {
    const copy = doc.clone();
    if (change.kind === 'set') copy.setIn(at, copy.createNode(change.value));
    else if (change.kind === 'delete') copy.deleteIn(at);
    else {
      if (isMap(copy.getIn(at, true))) copy.setIn([...at, change.key], copy.createNode(change.value));
      else copy.setIn(at, copy.createNode(change.value));
    }
    return copy.toString();
  });
}

/** Text that looks like YAML, or is garbage, or is a random value dumped as YAML. */
export const yamlishText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...':-[]{}#&*!|>\'"%@` \n\tab1'.split('')), maxLength: 120 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
  fc.constantFrom(
    '',
    '---\n---\n',
    '*a',
    '&a [*a]',
    'a: &x b\nc: *y',
    ': :',
    '%YAML 9.9\n---\na: 1',
    '- - - -',
    'a: !!binary xx',
    '\uFEFFa: 1',
    'a:\n\tb: 1',
  ),
);

/** fc.assert that shows why the counterexample failed (node:test prints only the message). */
export async function holds<T>(property: fc.IAsyncProperty<T> | fc.IProperty<T>, parameters: fc.Parameters<T>): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<T>, parameters);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `\nCause: ${error.cause.message}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}`, { cause: error });
  }
}
