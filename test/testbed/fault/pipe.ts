/**
 * One direction of a proxied TCP connection with the network's faults in it:
 * every chunk waits for its turn on a link of limited bandwidth, then travels
 * for the added latency; while the proxy is paused nothing moves. Reading
 * stops when too much is queued, so a slow link slows the sender as TCP would.
 */
import type { Socket } from 'node:net';

export interface LinkShape {
  latencyMs: number;
  /** 0 = unlimited. */
  bytesPerSecond: number;
  paused: boolean;
}

interface Queued {
  chunk: Buffer | 'end';
  releaseAt: number;
}

const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;

export class FaultPipe {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private sendDoneAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private blockedByDestination = false;
  private readPaused = false;
  private finished = false;
  bytes = 0;

  constructor(
    private readonly source: Socket,
    private readonly destination: Socket,
    private readonly shape: () => LinkShape,
  ) {
    source.on('data', (chunk: Buffer) => this.push(chunk));
    source.on('end', () => this.push('end'));
    destination.on('drain', () => {
      this.blockedByDestination = false;
      this.flush();
    });
  }

  /** Called when the proxy's settings change (pause, resume, new latency). */
  poke(): void {
    this.updateReading();
    this.flush();
  }

  stop(): void {
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  private push(chunk: Buffer | 'end'): void {
    if (this.finished) return;
    const { latencyMs, bytesPerSecond } = this.shape();
    const size = chunk === 'end' ? 0 : chunk.length;
    const now = Date.now();
    const transmitMs = bytesPerSecond > 0 ? (size * 1000) / bytesPerSecond : 0;
    this.sendDoneAt = Math.max(now, this.sendDoneAt) + transmitMs;
    this.queue.push({ chunk, releaseAt: this.sendDoneAt + latencyMs });
    this.queuedBytes += size;
    this.bytes += size;
    this.updateReading();
    this.flush();
  }

  private flush(): void {
    if (this.finished) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.shape().paused || this.blockedByDestination) return;
    const now = Date.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.releaseAt > now) {
        this.timer = setTimeout(() => this.flush(), head.releaseAt - now);
        return;
      }
      this.queue.shift();
      if (head.chunk === 'end') {
        this.destination.end();
        continue;
      }
      this.queuedBytes -= head.chunk.length;
      if (this.destination.destroyed) continue;
      if (!this.destination.write(head.chunk)) {
        this.blockedByDestination = true;
        break;
      }
    }
    this.updateReading();
  }

  private updateReading(): void {
    const hold = this.shape().paused || this.queuedBytes > HIGH_WATER || (this.readPaused && this.queuedBytes > LOW_WATER);
    if (hold && !this.readPaused) {
      this.source.pause();
      this.readPaused = true;
    } else if (!hold && this.readPaused) {
      this.readPaused = false;
      this.source.resume();
    }
  }
}
