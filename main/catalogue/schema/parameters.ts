/**
 * Typed parameters a user may set, and the presets that set several at once.
 * A parameter always has a default, so every form starts valid.
 */
import { z } from 'zod';
import { boolean, dnsLabel, integer, number, quantity } from './common';

const described = {
  title: z.string().optional().describe('Label shown in the form; defaults to the parameter name'),
  help: z.string().optional().describe('One or two sentences shown under the field'),
  group: z.string().optional().describe('Form section the field belongs to'),
  unit: z.string().optional().describe('Unit shown after the field, e.g. "workers"'),
};

const integerParameter = z.strictObject({
  type: z.literal('integer'),
  default: integer(),
  min: integer().optional(),
  max: integer().optional(),
  step: integer().min(1).optional(),
  ...described,
});

const numberParameter = z.strictObject({
  type: z.literal('number'),
  default: number(),
  min: number().optional(),
  max: number().optional(),
  step: number().positive().optional(),
  ...described,
});

const stringParameter = z.strictObject({
  type: z.literal('string'),
  default: z.string(),
  pattern: z.string().optional().describe('Regular expression the whole value must match'),
  maxLength: integer().min(1).optional(),
  ...described,
});

const booleanParameter = z.strictObject({
  type: z.literal('boolean'),
  default: boolean(),
  ...described,
});

const enumParameter = z.strictObject({
  type: z.literal('enum'),
  default: z.string(),
  values: z.array(z.string()).min(1).describe('The allowed values'),
  labels: z.record(z.string(), z.string()).optional().describe('Label shown for each value'),
  ...described,
});

const quantityParameter = <K extends 'cpu' | 'memory' | 'storage'>(kind: K) =>
  z.strictObject({
    type: z.literal(kind),
    default: quantity(kind),
    min: quantity(kind).optional(),
    max: quantity(kind).optional(),
    ...described,
  });

export const parameterSchema = z.discriminatedUnion('type', [
  integerParameter,
  numberParameter,
  stringParameter,
  booleanParameter,
  enumParameter,
  quantityParameter('cpu'),
  quantityParameter('memory'),
  quantityParameter('storage'),
]);

export const PARAMETER_TYPES = ['integer', 'number', 'string', 'boolean', 'enum', 'cpu', 'memory', 'storage'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export type Parameter = z.output<typeof parameterSchema>;

export const presetSchema = z.strictObject({
  name: dnsLabel('preset name'),
  title: z.string().optional(),
  description: z.string().optional(),
  values: z.record(z.string(), z.unknown()).describe('Parameter values this preset sets; the others keep their defaults'),
});

export type Preset = z.output<typeof presetSchema>;
