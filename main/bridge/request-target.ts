/**
 * What every listener of the app (the preview's HTTP bridge, the sign-in
 * loopback listener) does with a request line before anything else: only an
 * origin-form target ("/path?query") is read, and a request the handler
 * cannot make sense of is answered 400 instead of throwing, since a throw in
 * a request handler ends the whole process (one malformed request would stop
 * the preview).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** The request's path and query as a URL on `base`, or undefined when the target is not "/…" or no URL. */
export function requestTarget(req: IncomingMessage, base: string): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    return new URL(target, base);
  } catch {
    return undefined;
  }
}

/** decodeURIComponent that answers undefined for a malformed escape (e.g. "%E0%A4%A") instead of throwing. */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Runs a request handler (sync or async) so that nothing it throws escapes:
 * the client gets `fallback` (or the connection is closed when headers went out).
 */
export function guarded(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  fallback: (res: ServerResponse) => void,
): RequestListener {
  const fail = (res: ServerResponse): void => {
    try {
      if (res.headersSent) res.destroy();
      else fallback(res);
    } catch {
      res.destroy();
    }
  };
  return (req, res) => {
    try {
      const pending = handler(req, res);
      if (pending instanceof Promise) pending.catch(() => fail(res));
    } catch {
      fail(res);
    }
  };
}
