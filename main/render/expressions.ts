/**
 * The template's computed sections (secrets, components, links, extra
 * objects) evaluated with json-e against the values, then checked against the
 * rendered format. Errors name the template file, the line of the expression
 * and the field path.
 */
import jsone from 'json-e';
import type { ApiErrorShape } from '../errors';
import { quantitySize } from '../catalogue/quantity';
import { RENDERED_SECTIONS, renderedSectionsSchema, type RenderedSections } from '../catalogue/schema/template';
import type { LoadedTemplate } from '../catalogue/template';
import type { Values } from '../catalogue/values';
import { describeIssues } from '../yaml/issues';
import { pythonLiteral } from './python-literal';
import { expandUserServers, MissingComponentError, namedUsers, UserServersError } from './user-servers';
import { errorAt } from '../yaml/parse';
import { ProblemsError } from '../yaml/problems';
import type { Target } from './types';

export interface ExpressionContext {
  values: Values;
  environment: { name: string; namespace: string; id: string };
  target: Target;
  links: { ingressDomain: string | null; tls: boolean };
  /** See hub-login.ts. */
  hubLogin: Record<string, unknown>;
  /** The hub client's secret ('' for a public client): only for a secrets key's value. */
  hubClientSecret: string;
  owner: string;
}

/** Functions expressions may call besides json-e's built-ins. */
const helpers = {
  /** Bytes of a memory or storage quantity: bytes("4Gi") = 4294967296. */
  bytes: (quantity: string | number): number => quantitySize('memory', quantity),
  /** Millicores of a cpu quantity: millicores("1.5") = 1500. */
  millicores: (quantity: string | number): number => quantitySize('cpu', quantity),
  /** Cores of a cpu quantity, possibly fractional: cores("500m") = 0.5. */
  cores: (quantity: string | number): number => quantitySize('cpu', quantity) / 1000,
  /** A Python literal of any value: py("a\"b") = "a\"b" with the quote escaped; the only way a value enters a .py file. */
  py: pythonLiteral,
  /** The owner and the user names in a "who may sign in" text, groups left out: namedUsers("alice", "bob, group:x") = ["alice", "bob"]. */
  namedUsers,
};

export function evaluateSections(template: LoadedTemplate, context: ExpressionContext): RenderedSections {
  const unescaped = unescapedPythonValues(template);
  if (unescaped.length > 0) throw new ProblemsError(unescaped);
  const raw: Record<string, unknown> = {};
  for (const section of RENDERED_SECTIONS) {
    const value = template.spec[section];
    if (value !== undefined) raw[section] = value;
  }
  let evaluated: unknown;
  try {
    evaluated = jsone(raw, { ...helpers, ...context, template: { name: template.name, version: template.spec.metadata.version } });
  } catch (error) {
    throw new ProblemsError([expressionError(template, error)]);
  }
  const result = renderedSectionsSchema.safeParse(evaluated, { reportInput: true });
  if (!result.success) {
    const problems = describeIssues(result.error.issues).map((problem) => {
      const computed = isComputed(valueAt(template.spec, problem.path));
      return errorAt(
        template.source,
        'invalid_template',
        problem.path,
        computed ? `${problem.message} (as computed by the expression)` : problem.message,
      );
    });
    throw new ProblemsError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  let sections: RenderedSections;
  try {
    sections = expandUserServers(result.data);
  } catch (error) {
    if (!(error instanceof UserServersError)) throw error;
    const field = error instanceof MissingComponentError ? ['userServers', 'userKeys'] : ['userServers'];
    throw new ProblemsError([errorAt(template.source, 'invalid_template', field, error.message)]);
  }
  const disabled = Object.keys(sections.components).filter((name) => sections.components[name]?.enabled === false);
  for (const name of disabled) delete sections.components[name];
  // A disabled component's credentials go with it.
  if (sections.credentials !== undefined) sections.credentials = sections.credentials.filter((c) => !disabled.includes(c.component));
  return sections;
}

function expressionError(template: LoadedTemplate, error: unknown): ApiErrorShape {
  const located = error as { message?: unknown; location?: unknown; name?: unknown };
  const path = Array.isArray(located.location) ? located.location.map(locationKey) : [];
  const message = typeof located.message === 'string' ? located.message : String(error);
  const kind = located.name === 'SyntaxError' ? 'expression syntax error' : 'expression error';
  return errorAt(template.source, 'invalid_template', path, `${kind}: ${message}`);
}

// json-e reports where it failed as [".components", ".worker", "[0]"].
function locationKey(part: unknown): string | number {
  const text = String(part);
  const index = /^\[(\d+)\]$/.exec(text);
  if (index?.[1] !== undefined) return Number(index[1]);
  return text.startsWith('.') ? text.slice(1) : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return node;
    if (isComputed(node)) return node;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function isComputed(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/**
 * In a Python file every ${…} must be ${py(…)}: a value pasted between quotes
 * by hand ends the string at the first quote a user types, and runs the rest.
 */
function unescapedPythonValues(template: LoadedTemplate): ApiErrorShape[] {
  const problems: ApiErrorShape[] = [];
  const components = template.spec.components as Record<string, { files?: unknown }>;
  for (const [name, component] of Object.entries(components)) {
    if (!Array.isArray(component.files)) continue;
    component.files.forEach((file: unknown, index: number) => {
      const { path, content } = (file ?? {}) as { path?: unknown; content?: unknown };
      if (typeof path !== 'string' || !path.endsWith('.py') || typeof content !== 'string') return;
      const lines = content.split('\n');
      lines.forEach((line, at) => {
        for (const match of line.matchAll(/(?<!\$)\$\{(?!\s*py\()([^}]*)\}?/g)) {
          problems.push(
            errorAt(
              template.source,
              'invalid_template',
              ['components', name, 'files', index, 'content'],
              `line ${at + 1} of ${path} inserts \${${match[1] ?? ''}} as raw text; write \${py(${(match[1] ?? '').trim()})} so the value becomes a Python literal`,
            ),
          );
        }
      });
    });
  }
  return problems;
}
