/**
 * One kept-open connection to an API server. HTTP/2, as kubectl speaks it:
 * every request of a deploy shares one TLS handshake and runs in parallel on
 * it, so a wave costs one round trip however many objects it holds. Where the
 * server or a proxy speaks no h2, a keep-alive HTTP/1.1 pool does the job.
 */
import { createHash } from 'node:crypto';
import type { Agent as HttpAgent, OutgoingHttpHeaders } from 'node:http';
import http2, { type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import https from 'node:https';

export interface TlsSettings {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface RawRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query, e.g. /api/v1/namespaces/x?fieldManager=afp */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface ConnectionOptions {
  /** HTTP/1.1 connections at most (the h2 fallback). */
  maxSockets: number;
  /** The kubeconfig names a proxy-url: h2 is not tunnelled; HTTP/1.1 goes through the agent client-node makes for it. */
  viaProxy: boolean;
}

const NO_H2 = new Set(['ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL', 'ERR_HTTP2_ERROR']);

export class ApiConnection {
  private session: ClientHttp2Session | undefined;
  private sessionKey = '';
  private http1: { agent: https.Agent; key: string } | undefined;
  private mode: 'h2' | 'http1';
  private closed = false;

  constructor(
    private readonly server: URL,
    private readonly options: ConnectionOptions,
  ) {
    this.mode = options.viaProxy ? 'http1' : 'h2';
  }

  /** The protocol in use now, for the benchmark and messages. */
  get protocol(): 'h2' | 'http1' {
    return this.mode;
  }

  /** `proxyAgent`: client-node's agent for this request, used when the kubeconfig names a proxy. */
  async request(tls: TlsSettings, request: RawRequest, proxyAgent?: HttpAgent): Promise<RawResponse> {
    if (this.closed) throw Object.assign(new Error('the connection to the API server was closed'), { code: 'ERR_HTTP2_INVALID_SESSION' });
    if (this.options.viaProxy && proxyAgent !== undefined) return this.requestHttp1(tls, request, proxyAgent);
    if (this.mode === 'http1') return this.requestHttp1(tls, request);
    try {
      return await this.requestH2(tls, request);
    } catch (error) {
      if (!NO_H2.has(codeOf(error) ?? '') && !(error instanceof NoH2Error)) throw error;
      // Negotiated once per connection: the server never saw this request.
      this.mode = 'http1';
      this.dropSession();
      return this.requestHttp1(tls, request);
    }
  }

  close(): void {
    this.closed = true;
    this.dropSession();
    this.http1?.agent.destroy();
    this.http1 = undefined;
  }

  private h2Session(tls: TlsSettings): ClientHttp2Session {
    const key = fingerprint(tls);
    if (this.session !== undefined && !this.session.closed && !this.session.destroyed && this.sessionKey === key) return this.session;
    // New credentials (a rotated client certificate) need a new TLS handshake.
    this.dropSession();
    const session = http2.connect(this.server, { ...tlsOptions(tls), settings: { enablePush: false } });
    session.unref();
    const forget = (): void => {
      if (this.session === session) this.session = undefined;
    };
    session.on('error', forget);
    session.on('close', forget);
    session.on('goaway', forget);
    session.once('connect', () => {
      if (session.alpnProtocol !== 'h2') {
        forget();
        session.destroy(new NoH2Error());
      }
    });
    this.session = session;
    this.sessionKey = key;
    return session;
  }

  private dropSession(): void {
    const session = this.session;
    this.session = undefined;
    if (session !== undefined && !session.destroyed) session.close();
  }

  private requestH2(tls: TlsSettings, request: RawRequest): Promise<RawResponse> {
    const session = this.h2Session(tls);
    return new Promise<RawResponse>((resolve, reject) => {
      const headers: OutgoingHttpHeaders = { ':method': request.method, ':path': request.path };
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      let stream: http2.ClientHttp2Stream;
      try {
        // Node ends GET and DELETE streams at once unless told: a DELETE carries its options in a body.
        stream = session.request(headers, {
          endStream: request.body === undefined,
          signal: request.signal,
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        // A server that stopped answering is likely a dead connection: start afresh.
        if (this.session === session) this.dropSession();
        reject(timeoutError(this.server, request.timeoutMs));
      }, request.timeoutMs);
      let status = 0;
      let responseHeaders: Record<string, string> = {};
      const chunks: Buffer[] = [];
      stream.on('response', (incoming: IncomingHttpHeaders) => {
        status = Number(incoming[':status'] ?? 0);
        responseHeaders = flatHeaders(incoming);
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        clearTimeout(timer);
        resolve({ status, headers: responseHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (error: Error) => {
        clearTimeout(timer);
        reject(sessionCause(error, session));
      });
      if (request.body !== undefined) stream.end(request.body);
    });
  }

  private requestHttp1(tls: TlsSettings, request: RawRequest, proxyAgent?: HttpAgent): Promise<RawResponse> {
    const agent = proxyAgent ?? this.http1Agent(tls);
    return new Promise<RawResponse>((resolve, reject) => {
      const req = https.request(
        this.server,
        {
          method: request.method,
          path: request.path,
          headers:
            request.body === undefined
              ? request.headers
              : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          agent,
          ...tlsOptions(tls),
          signal: request.signal,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: flatHeaders(response.headers),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.setTimeout(request.timeoutMs, () => req.destroy(timeoutError(this.server, request.timeoutMs)));
      req.on('error', reject);
      req.end(request.body);
    });
  }

  private http1Agent(tls: TlsSettings): https.Agent {
    const key = fingerprint(tls);
    if (this.http1?.key === key) return this.http1.agent;
    this.http1?.agent.destroy();
    const agent = new https.Agent({ keepAlive: true, maxSockets: this.options.maxSockets, ...tlsOptions(tls) });
    this.http1 = { agent, key };
    return agent;
  }
}

class NoH2Error extends Error {
  constructor() {
    super('the API server does not speak HTTP/2');
    this.name = 'NoH2Error';
  }
}

function tlsOptions(tls: TlsSettings): TlsSettings {
  const options: TlsSettings = {};
  if (tls.ca !== undefined) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  if (tls.rejectUnauthorized !== undefined) options.rejectUnauthorized = tls.rejectUnauthorized;
  if (tls.servername !== undefined) options.servername = tls.servername;
  return options;
}

function fingerprint(tls: TlsSettings): string {
  const hash = createHash('sha256');
  for (const part of [tls.ca, tls.cert, tls.key, String(tls.rejectUnauthorized), tls.servername]) hash.update(part ?? '').update('\0');
  return hash.digest('hex');
}

function flatHeaders(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') flat[name.toLowerCase()] = value;
    else if (Array.isArray(value)) flat[name.toLowerCase()] = value.join(', ');
  }
  return flat;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A stream cancelled because its session failed carries the session's error: report that one. */
function sessionCause(error: Error, session: ClientHttp2Session): Error {
  if (codeOf(error) !== 'ERR_HTTP2_STREAM_CANCEL') return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause;
  return session.destroyed ? Object.assign(new Error('the connection to the API server was reset'), { code: 'ECONNRESET' }) : error;
}

function timeoutError(server: URL, ms: number): Error {
  return Object.assign(new Error(`no answer from ${server.host} within ${Math.round(ms / 1000)} s`), { code: 'ETIMEDOUT' });
}
