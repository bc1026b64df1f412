/**
 * Several problems found at once (a template with three typos, a values file
 * with two bad entries) travel as one error whose message is the first
 * problem and whose `problems` list holds them all, in file order.
 */
import { AfpError, type ApiErrorShape } from '../errors';

export class ProblemsError extends AfpError {
  readonly problems: ApiErrorShape[];

  constructor(problems: readonly ApiErrorShape[]) {
    const first = problems[0] ?? { code: 'internal' as const, message: 'no problems given' };
    super(first.code, first.message, first);
    this.name = 'ProblemsError';
    this.problems = [...problems];
  }
}

/** The problems an error carries: its list, or itself alone. */
export function problemsOf(error: AfpError): ApiErrorShape[] {
  return error instanceof ProblemsError ? error.problems : [error.toJSON()];
}
