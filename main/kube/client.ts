/**
 * JSON requests to one API server for one kubeconfig context, over one kept
 * connection (connection.ts). Credentials come from client-node for every
 * request, so exec plugins, tokens, client certificates and our session token
 * work as kubectl's do, and a token refreshed by its plugin is picked up.
 *
 * Rate: client-node has no client-side rate limiter (client-go's 5 qps /
 * burst 10 is a convention of that library, not of the API). We bound
 * requests in flight per client (16 by default) and leave fairness to the
 * server's API Priority and Fairness, honouring its 429 Retry-After.
 */
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import type { Agent as HttpAgent } from 'node:http';
import type https from 'node:https';
import { AfpError } from '../errors';
import { ApiConnection, type RawRequest, type TlsSettings } from './connection';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry';

export const DEFAULT_MAX_IN_FLIGHT = 16;

/** One request as sent and answered (each attempt apart), for benchmarks that count round trips. */
export interface RequestTrace {
  method: RawRequest['method'];
  path: string;
  /** performance.now() when it went out (after any queueing) and when its answer ended or it failed. */
  startedAt: number;
  endedAt: number;
  /** 0 when no answer came. */
  status: number;
}

export interface KubeClientOptions {
  maxInFlight?: number;
  requestTimeoutMs?: number;
  retry?: RetryOptions;
  onRequest?: (trace: RequestTrace) => void;
}

export interface RequestInit {
  body?: unknown;
  contentType?: string;
  /** Aborts waits (queue, backoff); the request in flight too only with `abortInFlight`. */
  signal?: AbortSignal | undefined;
  /** For reads that may be dropped; writes are left to finish so the record knows their result. */
  abortInFlight?: boolean;
  retry?: boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export class KubeClient {
  readonly server: string;
  readonly context: string;
  private readonly connection: ApiConnection;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private requests = 0;
  private readonly onRequest: ((trace: RequestTrace) => void) | undefined;

  constructor(
    private readonly kc: KubeConfig,
    options: KubeClientOptions = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new AfpError('invalid_kubeconfig', `Context "${kc.getCurrentContext()}" has no cluster.`);
    this.server = cluster.server;
    this.context = kc.getCurrentContext();
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.onRequest = options.onRequest;
    this.connection = new ApiConnection(new URL(this.server), {
      maxSockets: this.maxInFlight,
      viaProxy: cluster.proxyUrl !== undefined && cluster.proxyUrl !== '',
    });
  }

  /** Requests sent so far (attempts included), for the benchmark. */
  get requestCount(): number {
    return this.requests;
  }

  get protocol(): 'h2' | 'http1' {
    return this.connection.protocol;
  }

  get<T>(path: string, init: Omit<RequestInit, 'body' | 'contentType'> = {}): Promise<T> {
    return this.request<T>('GET', path, init);
  }

  /** Parsed JSON of a 2xx answer; an ApiException (with the server's Status) otherwise. Transient failures are retried. */
  async request<T>(method: RawRequest['method'], path: string, init: RequestInit = {}): Promise<T> {
    const once = async (): Promise<T> => {
      await this.acquire(init.signal);
      try {
        return await this.once<T>(method, path, init);
      } finally {
        this.release();
      }
    };
    if (init.retry === false) return once();
    return withRetry(once, {
      options: this.retry,
      signal: init.signal,
      onRetry: init.onRetry,
    });
  }

  close(): void {
    this.connection.close();
  }

  private async once<T>(method: RawRequest['method'], path: string, init: RequestInit): Promise<T> {
    const { tls, headers, agent } = await this.credentials();
    headers.accept = 'application/json';
    headers['user-agent'] = 'afp (AF Provisioner)';
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] = init.contentType ?? 'application/json';
    }
    this.requests += 1;
    const raw: RawRequest = { method, path, headers, timeoutMs: this.timeoutMs };
    if (body !== undefined) raw.body = body;
    if (init.abortInFlight === true && init.signal !== undefined) raw.signal = init.signal;
    const startedAt = performance.now();
    let status = 0;
    let response;
    try {
      response = await this.connection.request(tls, raw, agent);
      status = response.status;
    } finally {
      this.onRequest?.({ method, path, startedAt, endedAt: performance.now(), status });
    }
    let parsed: unknown = response.text;
    try {
      parsed = response.text === '' ? {} : JSON.parse(response.text);
    } catch {
      // Left as text: proxies answer errors in HTML.
    }
    if (response.status >= 200 && response.status < 300) return parsed as T;
    const said =
      typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string'
        ? (parsed as { message: string }).message
        : `HTTP ${response.status}`;
    throw new ApiException(response.status, said, parsed, response.headers);
  }

  /** client-node's view of the credentials, for this request (an exec plugin's token may have been refreshed). */
  private async credentials(): Promise<{ tls: TlsSettings; headers: Record<string, string>; agent?: HttpAgent }> {
    const options: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(options);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[name.toLowerCase()] = String(value);
    }
    if (typeof options.auth === 'string') headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    const tls: TlsSettings = {};
    if (typeof options.ca === 'string' || Buffer.isBuffer(options.ca)) tls.ca = options.ca;
    if (typeof options.cert === 'string' || Buffer.isBuffer(options.cert)) tls.cert = options.cert;
    if (typeof options.key === 'string' || Buffer.isBuffer(options.key)) tls.key = options.key;
    if (options.rejectUnauthorized !== undefined) tls.rejectUnauthorized = options.rejectUnauthorized;
    if (options.servername !== undefined) tls.servername = options.servername;
    return { tls, headers, ...(options.agent instanceof Object ? { agent: options.agent } : {}) };
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(new AfpError('cancelled', 'Cancelled before the request was sent.'));
    if (this.inFlight < this.maxInFlight) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener('abort', stop);
        this.inFlight += 1;
        resolve();
      };
      const stop = (): void => {
        const at = this.queue.indexOf(go);
        if (at >= 0) this.queue.splice(at, 1);
        reject(new AfpError('cancelled', 'Cancelled before the request was sent.'));
      };
      signal?.addEventListener('abort', stop, { once: true });
      this.queue.push(go);
    });
  }

  private release(): void {
    this.inFlight -= 1;
    this.queue.shift()?.();
  }
}
