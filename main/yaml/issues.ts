/**
 * zod issues in plain words: `expected integer, got "ten"`, `unknown field`,
 * each at the field path (and so the line) it concerns.
 */
import type { z } from 'zod';
import type { FieldPath } from './positions';

export interface FieldProblem {
  path: PropertyKey[];
  message: string;
}

type Issue = z.core.$ZodIssue;

/** One problem per thing to fix; unions report the branch the input was meant for. */
export function describeIssues(issues: readonly Issue[], base: FieldPath = []): FieldProblem[] {
  return issues.flatMap((issue) => describeIssue(issue, base));
}

function describeIssue(issue: Issue, base: FieldPath): FieldProblem[] {
  const path = [...base, ...issue.path];
  const at = (message: string, where: PropertyKey[] = path): FieldProblem => ({ path: where, message });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => at('unknown field', [...path, key]));
    case 'invalid_type':
      if (issue.input === undefined) return [at('required field is missing')];
      return [at(custom(issue) ?? `expected ${typeName(issue.expected)}, got ${describeValue(issue.input)}`)];
    case 'invalid_value':
      return [
        at(custom(issue) ?? `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(issue.input)}`),
      ];
    case 'invalid_key':
      return [at(`invalid name ${describeValue(issue.input)}: ${issue.issues[0]?.message ?? issue.message}`)];
    case 'invalid_union':
      return describeUnion(issue, path);
    case 'too_small':
      return [at(custom(issue) ?? tooSmall(issue))];
    case 'too_big':
      return [at(custom(issue) ?? tooBig(issue))];
    case 'invalid_format':
      return [at(custom(issue) ?? `${describeValue(issue.input)} is not a valid ${issue.format === 'regex' ? 'value' : issue.format}`)];
    default:
      return [at(issue.message)];
  }
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion, path: PropertyKey[]): FieldProblem[] {
  if (issue.errors.length === 0) {
    // A discriminated union whose discriminator matched no option; zod already put the discriminator in the path.
    const { options, input } = issue as { options?: unknown[]; input?: unknown };
    const given = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[String(path[path.length - 1])] : input;
    const allowed = Array.isArray(options) ? `expected one of ${options.map((option) => JSON.stringify(option)).join(', ')}, ` : '';
    return [{ path, message: `${allowed}got ${describeValue(given)}` }];
  }
  const own = custom(issue);
  if (own !== undefined) return [{ path, message: own }];
  // A value-or-expression union: an input without `$` keys was meant as the value.
  const meant = pickBranch(issue.errors, issue.input);
  if (meant !== undefined) return describeIssues(meant, path);
  return [
    {
      path,
      message:
        custom(issue) ?? `expected ${issue.errors.map((branch) => branchName(branch)).join(' or ')}, got ${describeValue(issue.input)}`,
    },
  ];
}

/**
 * Which alternative the author meant. Value-or-expression unions list the
 * value first: a scalar or list was meant as the value, an object with a `$`
 * key as an expression, any other object as whichever branch got furthest.
 */
function pickBranch(branches: readonly (readonly Issue[])[], input: unknown): readonly Issue[] | undefined {
  const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
  if (!isObject) return branches[0];
  if (Object.keys(input).some((key) => key.startsWith('$'))) return branches[branches.length - 1];
  const deep = branches.find((branch) => branch.some((issue) => issue.path.length > 0 || issue.code === 'unrecognized_keys'));
  return deep ?? branches[0];
}

function branchName(branch: readonly Issue[]): string {
  const first = branch[0];
  if (first?.code === 'invalid_type') return typeName(first.expected);
  if (first?.code === 'invalid_value') return first.values.map((v) => JSON.stringify(v)).join(' or ');
  return 'another form';
}

function custom(issue: Issue): string | undefined {
  // zod's own messages start "Invalid"/"Too"; ours (set with { error }) are already plain words.
  return /^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message) ? undefined : issue.message;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  const bound = String(issue.minimum);
  if (issue.origin === 'array') return `needs at least ${bound} item${bound === '1' ? '' : 's'}`;
  if (issue.origin === 'string') return bound === '1' ? 'must not be empty' : `needs at least ${bound} characters`;
  return `${describeValue(issue.input)} is below the minimum ${bound}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  const bound = String(issue.maximum);
  if (issue.origin === 'array') return `takes at most ${bound} items`;
  if (issue.origin === 'string') return `takes at most ${bound} characters`;
  return `${describeValue(issue.input)} is above the maximum ${bound}`;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'integer';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    default:
      return expected;
  }
}

/** How a value reads in a message: strings quoted, containers by shape. */
export function describeValue(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return JSON.stringify(input) ?? typeof input;
}
