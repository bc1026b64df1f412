/**
 * Every object is checked against the official Kubernetes schema
 * (kubernetes-models) before it leaves the renderer; a problem names the
 * object and the field.
 */
import type { ApiErrorShape } from '../errors';
import { ProblemsError } from '../yaml/problems';
import { KINDS, kindKey } from './models';
import type { KubeObject } from './types';

interface SchemaError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function validateObjects(objects: readonly KubeObject[], file: string): void {
  const problems: ApiErrorShape[] = [];
  for (const object of objects) {
    const info = KINDS[kindKey(object.apiVersion, object.kind)];
    const what = `${object.kind} ${object.metadata.name}`;
    if (info === undefined) {
      problems.push({
        code: 'invalid_template',
        message: `${what}: ${object.apiVersion} ${object.kind} is not a kind this app can create`,
        file,
      });
      continue;
    }
    try {
      new info.model(object as never).validate();
    } catch (error) {
      for (const message of schemaMessages(error)) problems.push({ code: 'invalid_template', message: `${what}: ${message}`, file });
    }
  }
  if (problems.length > 0) throw new ProblemsError(problems);
}

function schemaMessages(error: unknown): string[] {
  const errors = (error as { errors?: SchemaError[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return [error instanceof Error ? error.message : String(error)];
  // oneOf failures repeat what their branches said; keep the specific messages.
  const specific = errors.filter((item) => item.keyword !== 'oneOf' && item.keyword !== 'anyOf');
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const item of chosen) {
    const field = (item.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
      .join('')
      .replace(/^\./, '');
    const extra =
      item.keyword === 'enum' && Array.isArray(item.params?.allowedValues)
        ? `: ${(item.params.allowedValues as unknown[]).join(', ')}`
        : '';
    const message = `${field === '' ? '' : `${field} `}${item.message ?? 'is invalid'}${extra}`;
    if (!seen.has(message)) messages.push(message);
    seen.add(message);
  }
  return messages;
}
