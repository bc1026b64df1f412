/**
 * IM's Authorization header: one credential per line, `key = value` pairs
 * separated by `;`, and the lines joined by the two characters backslash and
 * n, because an HTTP header cannot hold a newline; IM 2.0's REST layer splits
 * on exactly that (IM/rest/routers/__init__.py, AUTH_LINE_SEPARATOR = '\\n').
 */
export type AuthLine = Record<string, string>;

/** The line that authenticates to IM itself with an OIDC access token. */
export function imLine(accessToken: string, id = 'im'): AuthLine {
  return { id, type: 'InfrastructureManager', token: accessToken };
}

/** The line for IM's Kubernetes connector: API server URL and a bearer token (or `username`/`password`). */
export function kubernetesLine(host: string, token: string, id = 'k8s', namespace?: string): AuthLine {
  return { id, type: 'Kubernetes', host, token, ...(namespace === undefined ? {} : { namespace }) };
}

export function imAuthorization(lines: AuthLine[]): string {
  return lines
    .map((line) =>
      Object.entries(line)
        .map(([key, value]) => {
          // IM reads quotes and `;` specially and the header itself cannot carry line breaks; tokens and URLs never need them.
          if (/[;'"\r\n\\]/.test(key + value))
            throw new Error(`IM authorization ${key}: value must not contain ; quotes, backslashes or line breaks`);
          return `${key} = ${value}`;
        })
        .join('; '),
    )
    .join('\\n');
}
