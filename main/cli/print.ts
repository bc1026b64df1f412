/** How the CLI prints errors and notes: one `file:line: field: message` per line. */
import { formatError, isAfpError } from '../errors';
import { problemsOf } from '../yaml/problems';
import type { ApiErrorShape } from '../errors';
import type { CliIo } from './command';

export function printProblems(io: CliIo, problems: readonly ApiErrorShape[]): void {
  for (const problem of problems) io.stderr.write(`error: ${formatError(problem)}\n`);
}

/** Prints what went wrong; unexpected exceptions become one line without a stack trace. */
export function printFailure(io: CliIo, error: unknown): void {
  if (isAfpError(error)) printProblems(io, problemsOf(error));
  else io.stderr.write(`error: unexpected: ${error instanceof Error ? error.message : String(error)}\n`);
}
