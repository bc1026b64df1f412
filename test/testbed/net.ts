/**
 * Small network helpers for starting servers on 127.0.0.1: a free port, and
 * waiting until an HTTP(S) endpoint answers while its process is still alive.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from './process';

export const LOOPBACK = '127.0.0.1';

/** A port that was free a moment ago; servers started right after almost always get it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  /** Our own components' self-signed serving certificates (scheduler, controller manager). */
  insecure?: boolean;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One GET; resolves with the status and body, rejects on a connection error or after `timeoutMs`. */
export function httpGet(url: string, tls: TlsOptions = {}, timeoutMs = 2000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = {
      method: 'GET',
      timeout: timeoutMs,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: tls.insecure !== true,
      agent: false as const,
    };
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

export interface WaitOptions {
  timeoutMs: number;
  /** Fail at once, with its log's last lines, if this process exits while we wait. */
  process?: ManagedProcess;
  intervalMs?: number;
}

/** Polls `check` until it returns a value other than undefined. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    if (opts.process !== undefined && opts.process.exit !== undefined) {
      const { code, signal } = opts.process.exit;
      throw new Error(
        `${opts.process.name} exited (${signal ?? `code ${code}`}) while waiting for ${what}; log ${opts.process.logPath}:\n${opts.process.logTail()}`,
      );
    }
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      const log = opts.process === undefined ? '' : `; log ${opts.process.logPath}:\n${opts.process.logTail()}`;
      throw new Error(
        `timed out after ${opts.timeoutMs} ms waiting for ${what}${lastError === '' ? '' : ` (last error: ${lastError})`}${log}`,
      );
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** Waits until GET `url` answers 200 (e.g. /readyz, /healthz). */
export async function waitHealthy(url: string, tls: TlsOptions, opts: WaitOptions): Promise<void> {
  await waitFor(
    `${url} to answer 200`,
    async () => {
      const answer = await httpGet(url, tls);
      if (answer.status === 200) return true;
      throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
    },
    opts,
  );
}
