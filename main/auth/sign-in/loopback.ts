/**
 * The loopback redirect of RFC 8252 §7.3: an HTTP listener on 127.0.0.1 with
 * a port the system picks, alive only for one sign-in. It hands the first
 * request to /callback to the flow, which answers with a page once it knows
 * whether the sign-in worked; anything else gets a 404.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guarded, requestTarget } from '../../bridge/request-target';
import { AfpError } from '../../errors';
import { CALLBACK_HEADERS, callbackPage } from './callback-page';

export const CALLBACK_PATH = '/callback';

export interface CallbackRequest {
  url: URL;
  /** Shows the outcome in the browser tab and closes the listener. */
  reply(outcome: { ok: true } | { ok: false; reason: string }): void;
}

export interface LoopbackListener {
  redirectUri: string;
  /** The browser's return, or a rejection when `signal` aborts first. */
  next(signal: AbortSignal): Promise<CallbackRequest>;
  close(): Promise<void>;
}

export async function listenForCallback(): Promise<LoopbackListener> {
  let waiting: ((request: CallbackRequest) => void) | undefined;
  let early: CallbackRequest | undefined;
  let answered = false;
  const refuse = (res: ServerResponse): void => {
    res.writeHead(404, CALLBACK_HEADERS).end(callbackPage({ ok: false, reason: 'This address only receives one sign-in.' }));
  };
  const server = createServer(
    guarded((req, res) => {
      const url = requestTarget(req, `http://127.0.0.1:${port}`);
      if (req.method !== 'GET' || url?.pathname !== CALLBACK_PATH || answered) return refuse(res);
      answered = true;
      const request: CallbackRequest = { url, reply: (outcome) => finish(res, outcome) };
      if (waiting === undefined) early = request;
      else waiting(request);
    }, refuse),
  );
  const finish = (res: ServerResponse, outcome: { ok: true } | { ok: false; reason: string }): void => {
    res.writeHead(outcome.ok ? 200 : 400, { ...CALLBACK_HEADERS, connection: 'close' }).end(callbackPage(outcome));
    void close();
  };
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new AfpError('unavailable', `Cannot listen on 127.0.0.1 for the sign-in redirect: ${error.message}.`)),
    );
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    next: (signal) =>
      new Promise<CallbackRequest>((resolve, reject) => {
        if (early !== undefined) {
          resolve(early);
          return;
        }
        const abort = (): void =>
          reject(signal.reason instanceof AfpError ? signal.reason : new AfpError('cancelled', 'The sign-in was cancelled.'));
        if (signal.aborted) {
          abort();
          return;
        }
        signal.addEventListener('abort', abort, { once: true });
        waiting = (request) => {
          signal.removeEventListener('abort', abort);
          resolve(request);
        };
      }),
    close,
  };
}
