/**
 * The contract over 127.0.0.1 HTTP + server-sent events, for the browser
 * preview and the e2e tests only (the Electron app uses IPC). Loopback, random
 * port, a per-launch token, and Host/Origin checks against DNS rebinding and
 * foreign pages.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HTTP_EVENTS_PATH, HTTP_REQUEST_PREFIX } from '../contract/http-paths';
import type { EventBus } from '../events';
import type { Dispatch } from './dispatch';
import { decodeComponent, guarded, requestTarget } from './request-target';
import { SECURITY_HEADERS } from './security-headers';
import { readStatic } from './static-files';

export const MAX_BODY_BYTES = 1024 * 1024;
const TOO_LARGE = Symbol('too-large');

export interface HttpBridgeOptions {
  dispatch: Dispatch;
  events: EventBus;
  /** The built renderer (out/renderer); omitted = API only. */
  staticDir?: string;
  port?: number;
  token?: string;
}

export interface HttpBridge {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** What a user opens: the origin with the token in the fragment (never sent to the server, never logged). */
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const staticDir = options.staticDir === undefined ? undefined : path.resolve(options.staticDir);
  const streams = new Set<http.ServerResponse>();
  let port = 0;

  const answer = (req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const verdict = checkHostAndOrigin(req, port);
    if (verdict !== undefined) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: verdict } });
    const url = requestTarget(req, 'http://127.0.0.1');
    if (url === undefined) return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'Malformed request target.' } });
    if (url.pathname.startsWith('/api/')) {
      if (!hasToken(req, token)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong preview token.' } });
      }
      if (url.pathname === HTTP_EVENTS_PATH && req.method === 'GET') return openEventStream(res, options.events, streams);
      if (url.pathname.startsWith(HTTP_REQUEST_PREFIX) && req.method === 'POST') {
        return handleRequest(req, res, url.pathname.slice(HTTP_REQUEST_PREFIX.length), options.dispatch);
      }
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'No such API route.' } });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Method not allowed.' } });
    if (staticDir === undefined)
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'No renderer is served here.' } });
    return serveStatic(res, staticDir, url.pathname, req.method === 'HEAD');
  };
  const server = http.createServer(
    guarded(answer, (res) => sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'The request could not be served.' } })),
  );
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: async () => {
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Only our own origin may call; Host must be the loopback address we bound, so a rebound DNS name is refused. */
function checkHostAndOrigin(req: http.IncomingMessage, port: number): string | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? '')) return 'Host not allowed.';
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) return 'Origin not allowed.';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'Cross-site request refused.';
  return undefined;
}

function hasToken(req: http.IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, name: string, dispatch: Dispatch): Promise<void> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendJson(res, 415, { ok: false, error: { code: 'invalid_input', message: 'Send JSON.' } });
  }
  const body = await readBody(req);
  if (body === TOO_LARGE) {
    res.setHeader('Connection', 'close');
    sendJson(res, 413, { ok: false, error: { code: 'invalid_input', message: `Request body over ${MAX_BODY_BYTES} bytes.` } });
    res.on('finish', () => req.destroy());
    return;
  }
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The request body is not valid JSON.' } });
  }
  const decoded = decodeComponent(name);
  if (decoded === undefined)
    return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The request name is not valid percent-encoding.' } });
  sendJson(res, 200, await dispatch(decoded, input, { via: 'http' }));
}

function readBody(req: http.IncomingMessage): Promise<string | typeof TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function openEventStream(res: http.ServerResponse, events: EventBus, streams: Set<http.ServerResponse>): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  streams.add(res);
  const unsubscribe = events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  // Keeps idle proxies and the browser from closing a quiet stream.
  const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(res);
  });
}

async function serveStatic(res: http.ServerResponse, root: string, urlPath: string, headOnly: boolean): Promise<void> {
  const file = await readStatic(root, urlPath);
  if (file === undefined)
    return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'The renderer is not built (run npm run build).' } });
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  res.end(headOnly ? undefined : file.body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
