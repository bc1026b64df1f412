/**
 * A container's log as lines, through client-node's Log API (the pod's log
 * subresource, as `kubectl logs` reads it): once, or followed until the
 * signal aborts it or the container ends. Lines are handed on as they arrive;
 * nothing is kept here but one unfinished line, cut at MAX_LINE_BYTES so a
 * program that never writes a newline cannot grow it without bound.
 */
import { ApiException, Log, type KubeConfig } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import { AfpError } from '../errors';
import { describeKubeError } from './api-errors';

/** A longer line is cut there and the rest starts a new line (a log viewer shows lines, not megabytes). */
export const MAX_LINE_BYTES = 16 * 1024;

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
): Promise<void> {
  const { namespace, pod, container } = request;
  const splitter = new LineSplitter(onLine);
  const decoder = new TextDecoder();
  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const ended = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      splitter.push(decoder.decode(chunk, { stream: true }));
      done();
    },
    final(done) {
      splitter.end();
      finish();
      done();
    },
  });
  sink.on('error', fail);
  const what = { object: `the log of container ${container} in pod ${namespace}/${pod}` };
  let controller: AbortController;
  try {
    controller = await new Log(kc).log(namespace, pod, container, sink, {
      follow: request.follow === true,
      previous: request.previous === true,
      ...(request.tailLines === undefined ? {} : { tailLines: request.tailLines }),
    });
  } catch (error) {
    // client-node drops the Status body of a 400; the usual one is a previous log that does not exist.
    if (request.previous === true && error instanceof ApiException && error.code === 400)
      throw new AfpError('not_found', `Container ${container} in pod ${namespace}/${pod} has no previous log: it has not restarted.`, {
        field: 'previous',
      });
    throw describeKubeError(error, what);
  }
  const stop = (): void => {
    controller.abort();
    splitter.end();
    finish();
  };
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  try {
    await ended;
  } catch (error) {
    // An abort of our own surfaces as an error of the body stream: that is the end the user asked for.
    if (!signal.aborted) throw describeKubeError(error, what);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
