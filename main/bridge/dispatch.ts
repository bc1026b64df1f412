import type { ZodError } from 'zod';
import { contract, isRequestName, type RequestName, type Result } from '../api';
import { AfpError, toApiError } from '../errors';
import type { Handlers, RequestContext } from './handlers';
import type { Logger } from '../log';
import { describeIssues } from '../yaml/issues';

export type Dispatch = (name: string, input: unknown, context: RequestContext) => Promise<Result<unknown>>;

/** The first problem in the words templates and profiles use ("required field is missing"), not zod's. */
function firstIssue(error: ZodError): { field?: string; message: string } {
  const problem = describeIssues(error.issues)[0];
  if (problem === undefined) return { message: 'invalid input' };
  const field = problem.path.map(String).join('.');
  return field === '' ? { message: problem.message } : { field, message: problem.message };
}

/**
 * The one boundary every bridge goes through: the request name is checked,
 * the input parsed with the contract's schema before any handler runs, and any
 * exception becomes an error value; nothing throws across a bridge.
 */
export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  return async (name, input, context) => {
    if (!isRequestName(name)) {
      return { ok: false, error: { code: 'not_found', message: `Unknown request "${name}".` } };
    }
    const parsed = contract[name].input.safeParse(input ?? {}, { reportInput: true });
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      const error = new AfpError('invalid_input', `${name}: ${message}`, { field });
      return { ok: false, error: toApiError(error) };
    }
    try {
      const handler = handlers[name] as (input: unknown, context: RequestContext) => Promise<unknown>;
      const value = await handler(parsed.data, context);
      return { ok: true, value: checkOutput(name, value, log) };
    } catch (error) {
      const shape = toApiError(error);
      if (shape.code === 'internal') log.error(`request ${name} failed`, error);
      return { ok: false, error: shape };
    }
  };
}

function checkOutput(name: RequestName, value: unknown, log: Logger): unknown {
  const parsed = contract[name].output.safeParse(value);
  if (parsed.success) return parsed.data;
  log.error(`request ${name} answered outside its schema`, parsed.error);
  throw new AfpError('internal', `The answer to ${name} did not match the contract.`);
}
