/**
 * The values a user gives on the command line: a YAML file of `name: value`
 * and `--set name=value` (later wins), read as YAML scalars (7 is a number,
 * true a boolean) except for string and enum parameters, which keep the text as typed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { LoadedTemplate } from '../catalogue/template';
import { AfpError } from '../errors';
import { parseYamlSource } from '../yaml/parse';
import { ProblemsError } from '../yaml/problems';
import type { FieldPath } from '../yaml/positions';
import { UsageError } from './command';

export interface ValuesInput {
  values: Record<string, unknown>;
  origin: { file?: string; lineOf?: (path: readonly PropertyKey[]) => number | undefined };
}

export async function readValues(
  template: LoadedTemplate,
  file: string | undefined,
  sets: readonly string[],
  cwd: string,
): Promise<ValuesInput> {
  const values: Record<string, unknown> = {};
  const origin: ValuesInput['origin'] = {};
  if (file !== undefined) {
    const shown = path.relative(cwd, path.resolve(cwd, file)) || file;
    let text: string;
    try {
      text = await readFile(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new AfpError('not_found', `cannot read the values file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        file: shown,
      });
    }
    const parsed = parseYamlSource(text, shown, 'invalid_input');
    if (!parsed.ok) throw new ProblemsError(parsed.errors);
    const content = parsed.source.value ?? {};
    if (content === null || typeof content !== 'object' || Array.isArray(content)) {
      throw new AfpError('invalid_input', 'a values file is a map of parameter: value', { file: shown, line: 1 });
    }
    Object.assign(values, content);
    origin.file = shown;
    const lineOf = parsed.source.lineOf;
    const fromSet = new Set<string>();
    origin.lineOf = (at: FieldPath) => (fromSet.has(String(at[0])) ? undefined : lineOf(at));
    for (const set of sets) fromSet.add(setName(set));
  }
  for (const set of sets) {
    const name = setName(set);
    const text = set.slice(set.indexOf('=') + 1);
    const type = template.parameters[name]?.type;
    values[name] = type === 'string' || type === 'enum' ? text : scalar(text);
  }
  return { values, origin };
}

function setName(set: string): string {
  const at = set.indexOf('=');
  if (at <= 0) throw new UsageError(`--set takes name=value, got ${JSON.stringify(set)}`);
  return set.slice(0, at).trim();
}

function scalar(text: string): unknown {
  try {
    const value: unknown = parse(text);
    return value === null || typeof value === 'object' ? text : value;
  } catch {
    return text;
  }
}
