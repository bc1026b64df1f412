/**
 * A fault proxy on 127.0.0.1 in front of one server of the test bed. Every
 * connection passes a TCP layer that adds latency per direction, caps
 * bandwidth, holds traffic while paused, refuses or resets connections and
 * cuts long-lived ones. In `http` mode the connection then reaches an HTTP
 * layer (fault/http-layer.ts) that can answer chosen requests with a 5xx and
 * cut exactly the watches; in `tcp` mode bytes go straight to the upstream,
 * TLS included, so client certificates keep working (the API server's case).
 */
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { LOOPBACK } from '../net';
import { HttpLayer } from './http-layer';
import type { HttpErrorRule, Upstream } from './http-layer';
import { FaultPipe } from './pipe';
import type { LinkShape } from './pipe';

export type { HttpErrorRule } from './http-layer';

export interface FaultSettings {
  /** Added one-way delay in ms: `up` client → server, `down` server → client (10 + 10 = 20 ms RTT). */
  latencyMs: { up: number; down: number };
  /** Per connection and direction, bytes per second; 0 = unlimited. */
  bandwidthBytesPerSecond: number;
  /** Hold all traffic until resumed. */
  paused: boolean;
  /** Reset new connections as soon as they arrive. */
  refuseConnections: boolean;
  /** Cut long-lived connections (watches, in http mode) every N seconds; 0 = never. */
  cutEverySeconds: number;
  /** In tcp mode, what "long-lived" means for the periodic cut. */
  cutMinAgeMs: number;
  /** http mode only: requests to answer with an error instead of forwarding. */
  httpErrors: HttpErrorRule[];
}

export interface CutOptions {
  /** Only connections open at least this long (tcp mode; http mode cuts watches only unless `all`). */
  minAgeMs?: number;
  /** RST instead of FIN. */
  reset?: boolean;
  /** http mode: cut every connection, not just watches. */
  all?: boolean;
}

export interface FaultProxyStats {
  openConnections: number;
  totalConnections: number;
  bytesUp: number;
  bytesDown: number;
  httpRequests?: number;
  injectedErrors?: number;
}

export interface FaultProxyOptions {
  name: string;
  mode: 'tcp' | 'http';
  upstream: Upstream;
  /** http mode with an HTTPS upstream: the proxy's own serving certificate (from the bed's CA). */
  serving?: { certPem: string; keyPem: string };
}

interface Connection {
  client: Socket;
  server: Socket;
  openedAt: number;
  pipes: FaultPipe[];
}

export function defaultFaultSettings(): FaultSettings {
  return {
    latencyMs: { up: 0, down: 0 },
    bandwidthBytesPerSecond: 0,
    paused: false,
    refuseConnections: false,
    cutEverySeconds: 0,
    cutMinAgeMs: 1000,
    httpErrors: [],
  };
}

export class FaultProxy {
  readonly name: string;
  readonly mode: 'tcp' | 'http';
  readonly upstream: Upstream;
  url = '';
  port = 0;
  private settings: FaultSettings = defaultFaultSettings();
  private readonly connections = new Set<Connection>();
  private totalConnections = 0;
  private closedBytes = { up: 0, down: 0 };
  private server: Server | undefined;
  private http: HttpLayer | undefined;
  private cutTimer: NodeJS.Timeout | undefined;
  private target = { host: LOOPBACK, port: 0 };

  private constructor(private readonly opts: FaultProxyOptions) {
    this.name = opts.name;
    this.mode = opts.mode;
    this.upstream = opts.upstream;
  }

  static async start(opts: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(opts);
    await proxy.listen();
    return proxy;
  }

  get current(): FaultSettings {
    return structuredClone({ ...this.settings, httpErrors: this.http?.rules ?? [] });
  }

  /** Merges the given settings into the current ones. */
  set(change: Partial<FaultSettings>): FaultSettings {
    if (change.httpErrors !== undefined && this.http === undefined && change.httpErrors.length > 0) {
      throw new Error(
        `fault proxy ${this.name} works at the TCP level (its upstream is TLS with client certificates); it cannot answer with HTTP errors`,
      );
    }
    this.settings = { ...this.settings, ...change, latencyMs: { ...this.settings.latencyMs, ...change.latencyMs } };
    if (change.httpErrors !== undefined && this.http !== undefined) this.http.rules.splice(0, this.http.rules.length, ...change.httpErrors);
    this.rescheduleCut();
    for (const connection of this.connections) for (const pipe of connection.pipes) pipe.poke();
    return this.current;
  }

  /** Back to a clean network. */
  clear(): FaultSettings {
    return this.set(defaultFaultSettings());
  }

  pause(): void {
    this.set({ paused: true });
  }

  resume(): void {
    this.set({ paused: false });
  }

  /** Closes (or resets) long-lived connections now; returns how many were cut. */
  cut(opts: CutOptions = {}): number {
    if (this.http !== undefined && opts.all !== true) return this.http.cutWatches();
    const now = Date.now();
    let count = 0;
    for (const connection of [...this.connections]) {
      if (now - connection.openedAt < (opts.minAgeMs ?? 0)) continue;
      count += 1;
      this.drop(connection, opts.reset === true);
    }
    return count;
  }

  /** Resets every open connection (RST), as a crashing middlebox would. */
  resetConnections(): number {
    return this.cut({ reset: true, all: true });
  }

  stats(): FaultProxyStats {
    let bytesUp = this.closedBytes.up;
    let bytesDown = this.closedBytes.down;
    for (const connection of this.connections) {
      bytesUp += connection.pipes[0]?.bytes ?? 0;
      bytesDown += connection.pipes[1]?.bytes ?? 0;
    }
    const stats: FaultProxyStats = { openConnections: this.connections.size, totalConnections: this.totalConnections, bytesUp, bytesDown };
    if (this.http !== undefined) {
      stats.httpRequests = this.http.requests;
      stats.injectedErrors = this.http.injected;
    }
    return stats;
  }

  async close(): Promise<void> {
    if (this.cutTimer !== undefined) clearInterval(this.cutTimer);
    for (const connection of [...this.connections]) this.drop(connection, false);
    const server = this.server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.http?.close();
  }

  private async listen(): Promise<void> {
    if (this.mode === 'http') {
      this.http = new HttpLayer(this.upstream, this.upstream.tlsCa === undefined ? undefined : this.opts.serving);
      if (this.upstream.tlsCa !== undefined && this.opts.serving === undefined) {
        throw new Error(`fault proxy ${this.name}: an HTTPS upstream in http mode needs a serving certificate`);
      }
      this.target = { host: LOOPBACK, port: await this.http.listen() };
    } else {
      this.target = { host: this.upstream.host, port: this.upstream.port };
    }
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    this.server = server;
    this.port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    this.url = `${this.upstream.tlsCa === undefined ? 'http' : 'https'}://${LOOPBACK}:${this.port}`;
  }

  private accept(client: Socket): void {
    this.totalConnections += 1;
    if (this.settings.refuseConnections) {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const server = connect({ port: this.target.port, host: this.target.host, allowHalfOpen: true });
    server.setNoDelay(true);
    const connection: Connection = { client, server, openedAt: Date.now(), pipes: [] };
    const shape = (direction: 'up' | 'down') => (): LinkShape => ({
      latencyMs: this.settings.latencyMs[direction],
      bytesPerSecond: this.settings.bandwidthBytesPerSecond,
      paused: this.settings.paused,
    });
    connection.pipes.push(new FaultPipe(client, server, shape('up')), new FaultPipe(server, client, shape('down')));
    this.connections.add(connection);
    const onError = (error: NodeJS.ErrnoException): void => this.drop(connection, error.code === 'ECONNRESET');
    client.on('error', onError);
    server.on('error', onError);
    client.on('close', () => this.drop(connection, false));
    server.on('close', () => this.drop(connection, false));
  }

  private drop(connection: Connection, reset: boolean): void {
    if (!this.connections.delete(connection)) return;
    this.closedBytes.up += connection.pipes[0]?.bytes ?? 0;
    this.closedBytes.down += connection.pipes[1]?.bytes ?? 0;
    for (const pipe of connection.pipes) pipe.stop();
    for (const socket of [connection.client, connection.server]) {
      if (socket.destroyed) continue;
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  private rescheduleCut(): void {
    if (this.cutTimer !== undefined) clearInterval(this.cutTimer);
    this.cutTimer = undefined;
    if (this.settings.cutEverySeconds > 0) {
      this.cutTimer = setInterval(() => this.cut({ minAgeMs: this.settings.cutMinAgeMs }), this.settings.cutEverySeconds * 1000);
      this.cutTimer.unref();
    }
  }
}
