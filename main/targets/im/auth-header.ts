/**
 * IM's Authorization header (IM 2.0: IM/rest/routers/__init__.py and
 * IM/auth.py): one credential per line, `key = value` pairs joined by `; `,
 * lines joined by the two characters backslash and n because a header cannot
 * hold a newline. With Vault behind IM a plain Bearer header is enough.
 */
import { AfpError } from '../../errors';

export type ImAuthMode = 'token' | 'bearer';

export interface KubernetesLineOptions {
  /** The API server IM's connector deploys to; IM picks the line whose host matches the cluster. */
  host: string;
  /** user: the user's access token goes on the line too; none: IM holds its own credentials for the cluster. */
  tokenFrom: 'user' | 'none';
}

export interface ImHeaderOptions {
  authMode: ImAuthMode;
  kubernetesLine?: KubernetesLineOptions;
}

export type AuthLine = Record<string, string>;

export function imAuthorizationHeader(options: ImHeaderOptions, token: string): string {
  if (options.authMode === 'bearer') return `Bearer ${checked('token', token)}`;
  const lines: AuthLine[] = [{ id: 'im', type: 'InfrastructureManager', token }];
  const kube = options.kubernetesLine;
  if (kube !== undefined) lines.push({ id: 'k8s', type: 'Kubernetes', host: kube.host, ...(kube.tokenFrom === 'user' ? { token } : {}) });
  return joinLines(lines);
}

export function joinLines(lines: readonly AuthLine[]): string {
  return lines
    .map((line) =>
      Object.entries(line)
        .map(([key, value]) => `${key} = ${checked(key, value)}`)
        .join('; '),
    )
    .join('\\n');
}

// IM reads `;`, quotes and backslashes specially, and a header cannot carry a line break; tokens and URLs never hold them.
function checked(key: string, value: string): string {
  if (value === '') throw new AfpError('unauthorized', `No ${key} to send to IM: sign in first.`);
  if (/[;'"\\\r\n]/.test(value))
    throw new AfpError(
      'invalid_input',
      `IM authorization: the ${key} holds a character IM's header cannot carry (; quotes, backslash or line break).`,
      { field: key },
    );
  return value;
}
