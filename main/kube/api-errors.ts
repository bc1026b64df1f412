/**
 * Kubernetes API failures in plain words, naming the object and the cause.
 * Status codes follow the API conventions; network errors name the server.
 */
import { ApiException } from '@kubernetes/client-node';
import { AfpError, isAfpError, type ErrorCode } from '../errors';

export interface KubeErrorContext {
  /** e.g. "Deployment dask-scheduler in env-demo" */
  object?: string;
  server?: string;
  context?: string;
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { field?: string; message?: string }[] };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  // An HTTP/2 connection that died under its streams (reset, GOAWAY from a restarting server).
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_PING_CANCEL',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Install hints for the exec plugins people actually use. */
const EXEC_HINTS: Record<string, string> = {
  kubelogin: 'Install kubelogin (the kubectl oidc-login plugin) and make sure it is on your PATH.',
  'kubectl-oidc_login': 'Install kubelogin (the kubectl oidc-login plugin) and make sure it is on your PATH.',
  'gke-gcloud-auth-plugin': 'Install it with `gcloud components install gke-gcloud-auth-plugin`.',
  aws: 'Install the AWS CLI v2 and make sure `aws` is on your PATH.',
  'aws-iam-authenticator': 'Install aws-iam-authenticator and make sure it is on your PATH.',
  az: 'Install the Azure CLI and make sure `az` is on your PATH.',
  gcloud: 'Install the Google Cloud SDK and make sure `gcloud` is on your PATH.',
  oc: 'Install the OpenShift CLI and make sure `oc` is on your PATH.',
};

function parseStatus(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return typeof body === 'object' && body !== null ? body : {};
}

function errno(error: unknown): { code?: string; syscall?: string; path?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as { code?: unknown; syscall?: unknown; path?: unknown; cause?: unknown };
  if (typeof e.code === 'string')
    return {
      code: e.code,
      ...(typeof e.syscall === 'string' ? { syscall: e.syscall } : {}),
      ...(typeof e.path === 'string' ? { path: e.path } : {}),
    };
  return e.cause === undefined ? {} : errno(e.cause);
}

export function isTransientKubeError(error: unknown): boolean {
  // Code 0: the connection closed before any answer (a cut or reset mid-request), so the request may be sent again.
  if (error instanceof ApiException) return error.code === 0 || error.code === 429 || error.code >= 500;
  if (isAfpError(error)) return error.code === 'unavailable' || error.code === 'timeout';
  const { code } = errno(error);
  return code !== undefined && NETWORK_CODES.has(code);
}

export function describeKubeError(error: unknown, where: KubeErrorContext = {}): AfpError {
  if (isAfpError(error)) return error;
  const subject = where.object === undefined ? '' : `${where.object}: `;
  if (error instanceof ApiException && error.code === 0) {
    return new AfpError(
      'unavailable',
      `${subject}The Kubernetes API server${where.server === undefined ? '' : ` ${where.server}`} closed the connection before answering.`,
      { cause: error },
    );
  }
  if (error instanceof ApiException) {
    const status = parseStatus(error.body);
    const said = status.message ?? error.message;
    const cause = status.details?.causes?.[0];
    const field = cause?.field;
    const [code, text] = byStatus(error.code, said, where);
    return new AfpError(code, `${subject}${text}`, { cause: error, field });
  }
  const { code, syscall, path: missing } = errno(error);
  if (code === 'ENOENT' && syscall?.startsWith('spawn') === true) {
    const program = missing ?? syscall.slice('spawn '.length);
    const hint = EXEC_HINTS[program] ?? `Install "${program}" or give its full path in the kubeconfig's exec section.`;
    return new AfpError(
      'unauthorized',
      `${subject}The kubeconfig's credential plugin "${program}" was not found${where.context === undefined ? '' : ` (context "${where.context}")`}. ${hint}`,
      { cause: error },
    );
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new AfpError(
      'unavailable',
      `${subject}The Kubernetes API server${where.server === undefined ? '' : ` ${where.server}`} is not reachable (${code}).`,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/certificate|self[- ]signed|unable to verify/i.test(message)) {
    return new AfpError('unavailable', `${subject}The API server's TLS certificate is not trusted: ${message}`, { cause: error });
  }
  return new AfpError('internal', `${subject}${message}`, { cause: error });
}

function byStatus(status: number, said: string, where: KubeErrorContext): [ErrorCode, string] {
  const ctx = where.context === undefined ? '' : ` (context "${where.context}")`;
  if (status === 401) return ['unauthorized', `The API server rejected the credentials${ctx}: they may have expired. ${said}`];
  if (status === 403) {
    if (/exceeded quota/i.test(said)) return ['forbidden', `A resource quota refuses it: ${said}`];
    if (/because it is being terminated/i.test(said))
      return ['conflict', `Its namespace is still being deleted; try again when it is gone. ${said}`];
    return ['forbidden', `Not allowed by the cluster's RBAC${ctx}: ${said}`];
  }
  if (status === 404) return ['not_found', said];
  if (status === 409) return ['conflict', said];
  if (status === 410) return ['conflict', `The data changed on the server (resource version expired): ${said}`];
  if (status === 422 || status === 400) return ['invalid_input', `The API server refused it: ${said}`];
  if (status === 429) return ['unavailable', `The API server is busy (too many requests): ${said}`];
  if (status >= 500) return ['unavailable', `The API server failed (${status}): ${said}`];
  return ['internal', `${status}: ${said}`];
}
