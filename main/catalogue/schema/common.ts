/**
 * Building blocks of the template format: names, integers and quantities with
 * plain-words errors, and the json-e expression that may stand in for a value.
 */
import { z } from 'zod';
import { describeValue } from '../../yaml/issues';
import { quantityProblem, type QuantityKind } from '../quantity';

/** A Kubernetes object name part (DNS-1123 label). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A parameter name, usable as `values.<name>` in expressions. */
export const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** A container port name (IANA service name). */
export const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** An environment variable name. */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export const dnsLabel = (what: string, max = 63): z.ZodString =>
  z
    .string({ error: (issue) => (issue.input === undefined ? undefined : `expected a ${what}, got ${describeValue(issue.input)}`) })
    .max(max, { error: `a ${what} takes at most ${max} characters` })
    .regex(DNS_LABEL, { error: (issue) => `${describeValue(issue.input)} is not a valid ${what}: use lower-case letters, digits and "-"` });

export const integer = (): z.ZodInt =>
  z.int({ error: (issue) => (issue.input === undefined ? undefined : `expected integer, got ${describeValue(issue.input)}`) });

export const number = (): z.ZodNumber =>
  z.number({ error: (issue) => (issue.input === undefined ? undefined : `expected number, got ${describeValue(issue.input)}`) });

export const boolean = (): z.ZodBoolean =>
  z.boolean({ error: (issue) => (issue.input === undefined ? undefined : `expected true or false, got ${describeValue(issue.input)}`) });

/** A cpu/memory/storage quantity; numbers are accepted as YAML writes them (cpu: 2). */
export const quantity = (kind: QuantityKind): z.ZodType<string | number> =>
  z
    .union([z.string(), z.number()], { error: (issue) => quantityProblem(kind, issue.input) })
    .refine((value) => quantityProblem(kind, value) === undefined, {
      error: (issue) => quantityProblem(kind, issue.input) ?? `expected a ${kind} quantity`,
    })
    .meta({ description: `A Kubernetes ${kind} quantity` });

/** An image reference pinned to a tag or digest, never :latest. */
export const pinnedImage = (): z.ZodString =>
  z
    .string()
    .min(1)
    .refine((image) => /@sha256:[0-9a-f]{64}$/.test(image) || /:[\w][\w.-]{0,127}$/.test(image.slice(image.lastIndexOf('/') + 1)), {
      error: (issue) => `image ${describeValue(issue.input)} must be pinned to a tag or digest (e.g. repo/image:1.2.3)`,
    })
    .refine((image) => !/:latest$/.test(image), { error: 'image tag "latest" is not pinned: name a version' });

// json-e keys that may sit beside an operator: $if/then/else, $let/in, $map/each(x), $sort/by(x), $reduce/initial, $fromNow/from.
const EXPRESSION_KEY = /^(\$.*|then|else|in|from|initial|each\(.*\)|by\(.*\))$/;

/** A json-e expression standing for a value: an object whose keys are operators. */
export const expression = z
  .record(z.string().regex(EXPRESSION_KEY), z.unknown())
  .refine((object) => Object.keys(object).some((key) => key.startsWith('$')), {
    error: 'expected a json-e expression ({$eval: ...}, {$if: ...}, ...)',
  })
  .meta({
    id: 'JsonEExpression',
    title: 'json-e expression',
    description: 'Evaluated with the context { values, environment, target, links }; see templates/README.md.',
  });

/**
 * Where a value may be computed: the source format accepts the value or an
 * expression, the rendered form only the value. Both share one definition.
 */
export type Dyn = <T extends z.ZodType>(schema: T) => T;

// A string with ${...} is checked only once interpolated.
const interpolated = z
  .string()
  .regex(/\$\{/)
  .meta({ id: 'InterpolatedString', description: 'A string with ${...} interpolation, checked once evaluated' });

export const renderedDyn: Dyn = (schema) => schema;
// The source form's type is never read (only its errors and its JSON Schema), hence the cast.
export const sourceDyn: Dyn = <T extends z.ZodType>(schema: T): T => z.union([schema, expression, interpolated]) as unknown as T;
