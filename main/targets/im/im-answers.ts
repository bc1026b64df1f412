/**
 * IM's JSON answers (with `Accept: application/json`), checked: a proxy's
 * HTML page or an IM that changed its shapes gives a clear error, not a crash.
 */
import { z } from 'zod';
import { AfpError } from '../../errors';
import { describeIssues } from '../../yaml/issues';
import { fieldPath } from '../../yaml/positions';

export const stateAnswer = z.object({
  state: z.object({ state: z.string(), vm_states: z.record(z.string(), z.string()).default({}) }),
});
export const outputsAnswer = z.object({ outputs: z.record(z.string(), z.unknown()).nullable().default({}) });
export const createAnswer = z.object({ uri: z.string().min(1) });
export const listAnswer = z.object({ 'uri-list': z.array(z.object({ uri: z.string() })).default([]) });
/** GET …/tosca: the document IM stores for the infrastructure (IM/tosca/Tosca.py serialize: YAML text). */
export const toscaAnswer = z.object({ tosca: z.string() });
/** GET …/vms/<vm> as JSON: the container's RADL, one object per network, system, configure… (radl's radlToSimple). */
export const vmRadlAnswer = z.object({ radl: z.array(z.record(z.string(), z.unknown())) });
export const contmsgAnswer = z.object({ contmsg: z.string().nullable().default('') });
export const errorAnswer = z.object({ message: z.string(), code: z.number().optional() });

export function parseAnswer<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AfpError('unavailable', `IM's answer to ${what} is not JSON: ${firstLine(text) || '(empty)'}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // In the words the template and profile checks use ("required field is missing"), not zod's.
    const problem = describeIssues(parsed.error.issues)[0];
    throw new AfpError(
      'unavailable',
      `IM's answer to ${what} is not what IM 2.0 sends: ${fieldPath(problem?.path ?? []) || '(top)'}: ${problem?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** The id is the last path segment of the infrastructure's URI. */
export function infrastructureIdOf(uri: string): string {
  const trimmed = uri.trim().replace(/\/+$/, '');
  const id = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (id === '') throw new AfpError('unavailable', `IM answered an infrastructure URI without an id: ${uri}`);
  return id;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}
