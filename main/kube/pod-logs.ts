/**
 * A container's log as lines, from the pod's log subresource (as `kubectl
 * logs` reads it): once, or followed until the signal aborts it or the
 * container ends. Lines are handed on as they arrive; nothing is kept here
 * but one unfinished line, cut at MAX_LINE_BYTES so a program that never
 * writes a newline cannot grow it without bound.
 *
 * A followed log is one long answer that a proxy, a load balancer or an API
 * server restart can cut at any time. client-node's Log API does not report
 * such a cut (the log just goes silent), so the request is made here, with
 * the kubeconfig's credentials applied by client-node: a cut is seen, and a
 * follow reopens the log from the last line's timestamp (asked with
 * `timestamps=true`, stripped before the line is handed on), skipping what it
 * already handed on.
 */
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AfpError } from '../errors';
import { describeKubeError } from './api-errors';
import { ResumePoint, splitTimestamp } from './log-resume';

/** A longer line is cut there and the rest starts a new line (a log viewer shows lines, not megabytes). */
export const MAX_LINE_BYTES = 16 * 1024;

/** Waits before reopening a cut follow; past the last, the follow ends with an error. Reset once lines flow again. */
export const REOPEN_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000];

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow?: boolean;
  /** The previous instance's log (after a restart or crash). */
  previous?: boolean;
  /** Only the last N lines (the API server cuts them). */
  tailLines?: number;
}

/** Splits a byte stream into lines; the unfinished tail waits for the next chunk (or end). */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let text = this.partial + chunk;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      this.onLine(text.slice(0, newline).replace(/\r$/, ''));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    while (Buffer.byteLength(text) > MAX_LINE_BYTES) {
      this.onLine(text.slice(0, MAX_LINE_BYTES));
      text = text.slice(MAX_LINE_BYTES);
    }
    this.partial = text;
  }

  end(): void {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
  }

  /** Drops an unfinished line: after a cut it comes again, whole, when the log is reopened. */
  discard(): void {
    this.partial = '';
  }
}

/**
 * Reads the log, calling onLine per line; resolves when the log ends (at
 * once without follow; when the container stops or `signal` aborts with it).
 * Errors in words naming the pod and container.
 */
export async function readPodLog(
  kc: KubeConfig,
  request: PodLogRequest,
  onLine: (line: string) => void,
  signal: AbortSignal,
  delaysMs: readonly number[] = REOPEN_DELAYS_MS,
): Promise<void> {
  const { namespace, pod, container } = request;
  const what = { object: `the log of container ${container} in pod ${namespace}/${pod}` };
  const resume = new ResumePoint();
  let failures = 0;
  for (;;) {
    const before = resume.handedOn;
    let outcome: Outcome;
    try {
      outcome = await readOnce(kc, request, resume, onLine, signal);
    } catch (error) {
      // client-node's Log dropped the Status body of a 400 too; the usual one is a previous log that does not exist.
      if (request.previous === true && error instanceof ApiException && error.code === 400)
        throw new AfpError('not_found', `Container ${container} in pod ${namespace}/${pod} has no previous log: it has not restarted.`, {
          field: 'previous',
        });
      // A refusal (the pod is gone, access withdrawn) ends the follow; a failed connection may be passing.
      if (request.follow !== true || !resume.opened || error instanceof ApiException) throw describeKubeError(error, what);
      outcome = { cut: error };
    }
    if (outcome === 'ended' || signal.aborted) return;
    if (request.follow !== true) throw describeKubeError(outcome.cut, what);
    if (resume.handedOn > before) failures = 0;
    const delay = delaysMs[failures];
    failures += 1;
    if (delay === undefined)
      throw new AfpError(
        'unavailable',
        `${what.object}: the connection was cut and could not be reopened after ${delaysMs.length} tries (${describeKubeError(outcome.cut).message}).`,
      );
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return;
    }
  }
}

type Outcome = 'ended' | { cut: unknown };

/** One request: 'ended' when the log ended (or we aborted), `cut` when the connection broke mid-answer. */
async function readOnce(
  kc: KubeConfig,
  request: PodLogRequest,
  resume: ResumePoint,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<Outcome> {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new AfpError('invalid_kubeconfig', `Context "${kc.getCurrentContext()}" has no cluster.`);
  const url = new URL(`${cluster.server.replace(/\/+$/, '')}${logPath(request, resume.since())}`);
  const options: https.RequestOptions = { method: 'GET', headers: { accept: 'text/plain, */*' } };
  await kc.applyToHTTPSOptions(options);
  const splitter = new LineSplitter((line) => {
    const { timestamp, text } = splitTimestamp(line);
    if (resume.accept(timestamp)) onLine(text);
  });
  const decoder = new TextDecoder();
  return new Promise<Outcome>((resolve, reject) => {
    if (signal.aborted) return resolve('ended');
    const send = url.protocol === 'http:' ? http.request : https.request;
    const req = send(url, options, (res) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          reject(new ApiException(res.statusCode ?? 0, `HTTP ${res.statusCode ?? 0}`, body, {}));
        });
        res.on('error', reject);
        return;
      }
      resume.opened = true;
      let ended = false;
      res.on('data', (chunk: Buffer) => splitter.push(decoder.decode(chunk, { stream: true })));
      res.on('end', () => {
        ended = true;
        splitter.end();
      });
      res.on('error', () => undefined);
      res.on('close', () => {
        signal.removeEventListener('abort', abort);
        if (ended || signal.aborted) return resolve('ended');
        splitter.discard();
        resolve({ cut: new ApiException(0, 'connection cut', '', {}) });
      });
    });
    const abort = (): void => {
      req.destroy();
      resolve('ended');
    };
    signal.addEventListener('abort', abort, { once: true });
    req.on('error', (error) => {
      signal.removeEventListener('abort', abort);
      if (!signal.aborted) reject(error);
    });
    req.end();
  });
}

function logPath(request: PodLogRequest, since: string | undefined): string {
  const query = new URLSearchParams({ container: request.container, timestamps: 'true' });
  if (request.follow === true) query.set('follow', 'true');
  if (request.previous === true) query.set('previous', 'true');
  // Reopened: from the last line's second on (the API takes whole seconds), instead of the last N lines again.
  if (since !== undefined) query.set('sinceTime', since);
  else if (request.tailLines !== undefined) query.set('tailLines', String(request.tailLines));
  const ns = encodeURIComponent(request.namespace);
  return `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(request.pod)}/log?${query.toString()}`;
}
