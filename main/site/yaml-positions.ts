/**
 * YAML text → value checked by a zod schema, with every problem reported as
 * `file:line: field.path: message`. Stand-in until main/yaml/ (the shared
 * parser) lands; the profile code depends only on `parseWithSchema`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { ApiErrorShape, ErrorCode } from '../errors';

export type FieldPath = readonly PropertyKey[];

export type Parsed<T> =
  | { ok: true; value: T; lineOf: (path: FieldPath) => number | undefined }
  | { ok: false; errors: ApiErrorShape[] };

export function parseWithSchema<S extends z.ZodType>(text: string, file: string, schema: S, code: ErrorCode): Parsed<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        code,
        message: `YAML: ${firstLine(error.message)}`,
        file,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }
  const lineOf = (path: FieldPath): number | undefined => lineAt(doc, lineCounter, path);
  const result = schema.safeParse(doc.toJS(), { reportInput: true });
  if (result.success) return { ok: true, value: result.data, lineOf };
  return { ok: false, errors: result.error.issues.flatMap((issue) => issueToErrors(issue, file, code, lineOf)) };
}

/** Dotted field path with [i] for list items: `capacity.nodes[1].cpu`. */
export function fieldPath(path: FieldPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function issueToErrors(issue: z.core.$ZodIssue, file: string, code: ErrorCode, lineOf: (path: FieldPath) => number | undefined): ApiErrorShape[] {
  const at = (path: FieldPath, message: string): ApiErrorShape => {
    const shape: ApiErrorShape = { code, message, file };
    const field = fieldPath(path);
    if (field !== '') shape.field = field;
    const line = lineOf(path);
    if (line !== undefined) shape.line = line;
    return shape;
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => at([...issue.path, key], 'unknown field'));
    case 'invalid_type':
      return [at(issue.path, issue.input === undefined ? 'required field is missing' : `expected ${YAML_NAMES[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`)];
    case 'invalid_value':
      return [at(issue.path, `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(issue.input)}`)];
    case 'invalid_key':
      return [at(issue.path, `invalid name: ${issue.issues[0]?.message ?? issue.message}`)];
    case 'invalid_union':
      return [at(issue.path, `${issue.message}${issue.input === undefined ? '' : `, got ${describe(issue.input)}`}`)];
    default:
      return [at(issue.path, issue.message)];
  }
}

const YAML_NAMES: Partial<Record<string, string>> = { object: 'a mapping', array: 'a list', record: 'a mapping' };

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return JSON.stringify(input) ?? typeof input;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Line of the deepest node on `path` that exists: the key's line for a map entry, the item's line for a list item. */
function lineAt(doc: Document, counter: LineCounter, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let line = lineOfNode(node, counter);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(key));
      if (pair === undefined) break;
      line = lineOfNode(pair.key, counter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = lineOfNode(node, counter) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function lineOfNode(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Partial<Node> | null | undefined)?.range;
  return range === undefined || range === null ? undefined : counter.linePos(range[0]).line;
}
