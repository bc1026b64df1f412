/**
 * IM's refusals in plain words. IM puts whole Python tracebacks into some
 * messages (tosca-parser's collected exceptions): only the lines before the
 * traceback are kept, and a YAML position becomes the error's line. IM
 * answers 401 both for a token it cannot use (renewing helps) and for a user
 * outside its required groups (renewing does not): the two are told apart.
 */
import { AfpError, type ErrorCode } from '../../errors';
import { errorAnswer } from './im-answers';

export interface ImErrorContext {
  /** What was asked, e.g. "create the infrastructure". */
  what: string;
  /** Who answered, e.g. "IM at http://im.example:8800". */
  who: string;
  /** Name shown as the file of a TOSCA line, when the request carried a document. */
  document?: string;
}

/** The error for a non-2xx answer. */
export function imAnswerError(status: number, body: string, context: ImErrorContext): AfpError {
  const raw = messageOf(body);
  const message = cleanMessage(raw);
  const said = message === '' ? `HTTP ${status}` : message;
  const where: { file?: string; line?: number } = {};
  const line = toscaLine(raw);
  if (line !== undefined && context.document !== undefined) {
    where.file = context.document;
    where.line = line;
  }
  return new AfpError(
    codeFor(status, raw),
    `${capitalised(context.who)} refused to ${context.what} (HTTP ${status}): ${said}${hint(status, raw)}`,
    where,
  );
}

export function codeFor(status: number, message: string): ErrorCode {
  if (status === 401) return /not in configured groups/i.test(message) ? 'forbidden' : 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 422) return 'invalid_input';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 409) return 'conflict';
  return 'unavailable';
}

function hint(status: number, message: string): string {
  if (status === 401 && /not in configured groups/i.test(message)) return ' Ask your site to add you to the group IM requires.';
  if (status === 401) return ' Sign in again if this persists.';
  if (status === 409) return ' IM is still working on it (creating or changing it): try again once it has finished.';
  const cloud = /No auth data has been specified to (\w+)/.exec(message)?.[1];
  if (cloud !== undefined)
    return ` IM needs a ${cloud} credential line in its header for this: the site profile must set targets.im.kubernetesLine.`;
  return '';
}

/** IM's `{"message": …}`, or the text itself when IM (or a proxy before it) answered otherwise. */
function messageOf(body: string): string {
  try {
    const parsed = errorAnswer.safeParse(JSON.parse(body));
    if (parsed.success) return parsed.data.message;
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    if (typeof detail === 'string') return detail;
  } catch {
    // not JSON: a plain-text answer
  }
  return /^\s*</.test(body) ? '' : body;
}

/** Drops tracebacks ("File …, line …" and what is indented under it) and folds the rest onto one line. */
export function cleanMessage(message: string): string {
  const kept: string[] = [];
  for (const line of message.split('\n')) {
    const text = line.trim();
    if (/^File ".*", line \d+/.test(text) || /^File \S.*, line \d+, in /.test(text) || /^Traceback \(most recent call last\)/.test(text))
      break;
    // IM sometimes glues the traceback to its message on one line ("Error parsing TOSCA: Traceback (…").
    const glued = text.indexOf('Traceback (most recent call last)');
    if (glued > 0) {
      kept.push(text.slice(0, glued).trim());
      break;
    }
    if (text !== '') kept.push(text);
  }
  const folded = kept.join(' ').replace(/\s+/g, ' ').trim();
  return folded.length > 600 ? `${folded.slice(0, 597)}…` : folded;
}

/** PyYAML names the problem last: `in "<unicode string>", line N, column M`. */
export function toscaLine(message: string): number | undefined {
  const marks = [...message.matchAll(/in "<unicode string>", line (\d+)/g)];
  const last = marks[marks.length - 1]?.[1];
  return last === undefined ? undefined : Number(last);
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The network error's code (node's or undici's, which hides it in `cause`). */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The error for a request that got no answer. */
export function imNetworkError(error: unknown, context: ImErrorContext): AfpError {
  const code = networkCode(error);
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused (is it running?)'
      : code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET'
        ? 'the connection was reset'
        : code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'no answer in time'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'the host name does not resolve'
            : error instanceof Error
              ? error.message
              : String(error);
  return new AfpError(
    code === 'ETIMEDOUT' ? 'timeout' : 'unavailable',
    `${capitalised(context.who)} could not ${context.what}: ${reason}.`,
    { cause: error },
  );
}

/**
 * Worth another try: no connection, a reset, a gateway error. A request that
 * is not idempotent (create) is retried only when IM surely did not act on it:
 * refused connections, 503 and 429, never a reset or a gateway timeout.
 */
export function isTransient(error: unknown, status: number | undefined, idempotent: boolean): boolean {
  if (status !== undefined) return status === 503 || status === 429 || (idempotent && (status === 502 || status === 504));
  const code = networkCode(error);
  if (code === undefined) return false;
  if (!idempotent) return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return TRANSIENT_CODES.has(code);
}

/** "the dispatcher at …" at the start of a message. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
