/**
 * afp kube-token: the session's access token as a kubectl exec credential,
 * so a kubeconfig user with `exec: {command: afp, args: [kube-token]}` uses
 * the app's sign-in. The token goes to stdout only, as the protocol asks.
 */
import { openCliSession } from '../auth/cli-session';
import { refreshDueAt } from '../auth/tokens';
import { EXIT_OK, type CliCommand } from './command';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

export const kubeTokenCommand: CliCommand = {
  summary: 'Print an ExecCredential with the access token, for kubeconfig users with exec: afp kube-token',
  positionals: { usage: '', min: 0, max: 0 },
  options: {},
  details:
    'kubeconfig user:\n  exec:\n    apiVersion: client.authentication.k8s.io/v1\n    command: afp\n    args: [kube-token]\n    interactiveMode: Never\nSign in first with afp login.',
  async run({ io }) {
    const { session } = await openCliSession();
    try {
      const token = await session.accessToken();
      const expiresAt = session.status().expiresAt;
      const status: { token: string; expirationTimestamp?: string } = { token };
      // kubectl asks again once this passes: our renewal time, so it never holds an expired token.
      if (expiresAt !== undefined)
        status.expirationTimestamp = new Date(refreshDueAt({ receivedAt: Date.now(), expiresAt })).toISOString().replace(/\.\d{3}Z$/, 'Z');
      io.stdout.write(`${JSON.stringify({ apiVersion: requestedApiVersion(), kind: 'ExecCredential', status })}\n`);
      return EXIT_OK;
    } finally {
      session.dispose();
    }
  },
};

/** kubectl says which version it speaks in KUBERNETES_EXEC_INFO; answer in the same. */
function requestedApiVersion(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const info = JSON.parse(env.KUBERNETES_EXEC_INFO ?? '{}') as { apiVersion?: unknown };
    return info.apiVersion === V1BETA1 ? V1BETA1 : V1;
  } catch {
    return V1;
  }
}
