/**
 * Container logs streamed to the renderer: each stream reads one container's
 * log (main/kube/pod-logs) into a ring bounded by LOG_BOUNDS and sends what
 * gathered every BATCH_MS as one `logs.lines` event, then `logs.ended`. A
 * fast writer therefore costs one event per window and at most the ring's
 * bytes, whatever it writes; at most LOG_BOUNDS.streams are open at once (the
 * oldest is stopped for a new one), and all stop with the app.
 */
import { randomUUID } from 'node:crypto';
import type { AppEvent } from '../api';
import { LOG_BOUNDS, type LogStreamRequest } from '../contract/logs';
import { toApiError } from '../errors';
import type { EnvironmentRecord } from '../inventory/record';
import { readPodLog } from '../kube/pod-logs';
import type { KubeConfigFor } from '../tracking/cluster-registry';
import { LineRing } from './log-ring';
import { kubeTarget } from './log-sources';

export const BATCH_MS = 150;

interface Stream {
  abort: AbortController;
  ring: LineRing;
  timer: NodeJS.Timeout | undefined;
}

export class LogStreams {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly options: { emit: (event: AppEvent) => void; kubeConfigFor: KubeConfigFor; batchMs?: number }) {}

  /** Opens the stream; lines and the end arrive as events for the returned id. */
  start(record: EnvironmentRecord, request: Omit<LogStreamRequest, 'id'>): string {
    const target = kubeTarget(record);
    const kc = this.options.kubeConfigFor(target);
    const streamId = randomUUID();
    const oldest = this.streams.keys().next().value;
    if (this.streams.size >= LOG_BOUNDS.streams && oldest !== undefined) this.stop(oldest);
    const stream: Stream = { abort: new AbortController(), ring: new LineRing(LOG_BOUNDS.lines, LOG_BOUNDS.bytes), timer: undefined };
    this.streams.set(streamId, stream);
    const onLine = (line: string): void => {
      stream.ring.push(line);
      stream.timer ??= setTimeout(() => this.flush(streamId, stream), this.options.batchMs ?? BATCH_MS);
    };
    readPodLog(kc, { namespace: target.namespace, ...request }, onLine, stream.abort.signal).then(
      () => this.end(streamId, stream),
      (error: unknown) => this.end(streamId, stream, error),
    );
    return streamId;
  }

  stop(streamId: string): boolean {
    const stream = this.streams.get(streamId);
    if (stream === undefined) return false;
    stream.abort.abort();
    return true;
  }

  get open(): number {
    return this.streams.size;
  }

  dispose(): void {
    for (const id of [...this.streams.keys()]) this.stop(id);
  }

  private flush(streamId: string, stream: Stream): void {
    if (stream.timer !== undefined) clearTimeout(stream.timer);
    stream.timer = undefined;
    if (stream.ring.size === 0 && stream.ring.dropped === 0) return;
    const { lines, dropped } = stream.ring.take();
    this.options.emit({ type: 'logs.lines', streamId, lines, dropped });
  }

  private end(streamId: string, stream: Stream, error?: unknown): void {
    this.flush(streamId, stream);
    this.streams.delete(streamId);
    this.options.emit({ type: 'logs.ended', streamId, ...(error === undefined ? {} : { error: toApiError(error) }) });
  }
}
