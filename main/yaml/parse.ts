/**
 * YAML text → a value checked by a zod schema, every problem reported as
 * `file:line: field.path: message`. Shared by templates, values files, site
 * profiles and kubeconfigs.
 */
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { ApiErrorShape, ErrorCode } from '../errors';
import { describeIssues, type FieldProblem } from './issues';
import { fieldPath, lineAt, type FieldPath } from './positions';

export type { FieldPath } from './positions';
export { fieldPath } from './positions';

/** A YAML document kept with its positions, so later checks can still name lines. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  value: unknown;
  lineOf: (path: FieldPath) => number | undefined;
}

export type Parsed<T> =
  { ok: true; value: T; lineOf: (path: FieldPath) => number | undefined; source: YamlSource } | { ok: false; errors: ApiErrorShape[] };

// Aliases let a small file expand enormously ("billion laughs"); a template needs few.
const MAX_ALIAS_COUNT = 100;

/** Parses one YAML document; syntax errors come back with file and line. */
export function parseYamlSource(
  text: string,
  file: string,
  code: ErrorCode,
): { ok: true; source: YamlSource } | { ok: false; errors: ApiErrorShape[] } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        // The library's own advice ("use YAML.parseAllDocuments()") is for programmers.
        const said =
          error.code === 'MULTIPLE_DOCS'
            ? 'the file holds more than one YAML document (a second ---); keep one per file'
            : firstLine(error.message);
        const shape: ApiErrorShape = { code, message: `YAML syntax: ${said}`, file };
        const line = error.linePos?.[0]?.line ?? counter.linePos(error.pos[0]).line;
        if (line !== undefined) shape.line = line;
        return shape;
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = firstLine(error instanceof Error ? error.message : String(error));
    return { ok: false, errors: [{ code, message: `YAML: ${message}`, file, line: aliasLine(doc, counter, message) }] };
  }
  const lineOf = (path: FieldPath): number | undefined => lineAt(doc, counter, path);
  return { ok: true, source: { file, doc, value, lineOf } };
}

/** Parses and validates in one step; unknown fields are errors when the schema is strict. */
export function parseWithSchema<S extends z.ZodType>(text: string, file: string, schema: S, code: ErrorCode): Parsed<z.output<S>> {
  const parsed = parseYamlSource(text, file, code);
  if (!parsed.ok) return parsed;
  return validateSource(parsed.source, schema, code);
}

/** Validates an already parsed document (or part of it, at `base`) against a schema. */
export function validateSource<S extends z.ZodType>(
  source: YamlSource,
  schema: S,
  code: ErrorCode,
  base: FieldPath = [],
): Parsed<z.output<S>> {
  const input = valueAt(source.value, base);
  if (base.length === 0 && source.doc.contents === null) {
    return { ok: false, errors: [{ code, message: 'the file is empty: expected a YAML mapping', file: source.file, line: 1 }] };
  }
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, value: result.data, lineOf: source.lineOf, source };
  return { ok: false, errors: problemsToErrors(describeIssues(result.error.issues, base), source, code) };
}

/** Field problems → error shapes at their lines, in file order. */
export function problemsToErrors(
  problems: readonly FieldProblem[],
  source: Pick<YamlSource, 'file' | 'lineOf'>,
  code: ErrorCode,
): ApiErrorShape[] {
  const errors = problems.map((problem) => errorAt(source, code, problem.path, problem.message));
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** One error shape naming file, line (where the path exists in the source) and field. */
export function errorAt(source: Pick<YamlSource, 'file' | 'lineOf'>, code: ErrorCode, path: FieldPath, message: string): ApiErrorShape {
  const shape: ApiErrorShape = { code, message, file: source.file };
  const field = fieldPath(path);
  if (field !== '') shape.field = field;
  // A problem with the whole document (not a mapping, say) is at its first line.
  const line = source.lineOf(path) ?? (path.length === 0 ? 1 : undefined);
  if (line !== undefined) shape.line = line;
  return shape;
}

/** The line of the alias a resolution error names ("…: name"), else the first line. */
function aliasLine(doc: Document.Parsed, counter: LineCounter, message: string): number {
  const name = /:\s*(\S+)\s*$/.exec(message)?.[1];
  let line = 1;
  visit(doc, {
    Alias(_key, node) {
      if (node.source !== name || node.range === undefined || node.range === null) return undefined;
      line = counter.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

function valueAt(value: unknown, path: FieldPath): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
