/** How the CLI prints errors and notes: one `file:line: field: message` per line. */
import { formatError, isAfpError } from '../errors';
import { problemsOf } from '../yaml/problems';
import type { ApiErrorShape } from '../errors';
import type { CliIo } from './command';
import { NoKubeconfigError } from '../kube/kubeconfig';

/** What a user without a kubeconfig can do instead, in the CLI's words. */
const NO_KUBECONFIG_NEXT = [
  '  To use a cluster, name its kubeconfig: --kubeconfig FILE, or set KUBECONFIG=FILE.',
  "  Or deploy through the site's Infrastructure Manager: --target im (after afp login; the site profile names IM).",
  '  Or write the manifests offline, no cluster needed: afp export <template> --format kube -o DIR.',
];

export function printProblems(io: CliIo, problems: readonly ApiErrorShape[]): void {
  for (const problem of problems) io.stderr.write(`error: ${formatError(problem)}\n`);
}

/** Prints what went wrong; unexpected exceptions become one line without a stack trace. */
export function printFailure(io: CliIo, error: unknown): void {
  if (error instanceof NoKubeconfigError) {
    printProblems(io, problemsOf(error));
    io.stderr.write(`${NO_KUBECONFIG_NEXT.join('\n')}\n`);
  } else if (isAfpError(error)) printProblems(io, problemsOf(error));
  else io.stderr.write(`error: unexpected: ${error instanceof Error ? error.message : String(error)}\n`);
}
