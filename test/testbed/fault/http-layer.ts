/**
 * The HTTP-aware half of a fault proxy: a small reverse proxy on an internal
 * port that sees each request, so it can answer chosen ones with a 5xx and
 * knows which open responses are watches. For an HTTPS upstream it terminates
 * TLS with a certificate from the bed's CA and speaks TLS again upstream, so
 * it suits clients that authenticate with tokens, not client certificates.
 */
import { request as httpRequest, createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { request as httpsRequest, createServer as createHttpsServer } from 'node:https';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { LOOPBACK } from '../net';

export interface HttpErrorRule {
  status: number;
  /** Only this method (GET, POST, …); any when absent. */
  method?: string;
  /** A regular expression the request path (with query) must match; any when absent. */
  path?: string;
  /** How many requests to fail; unlimited when absent. */
  times?: number;
  /** The answer's JSON body instead of a Kubernetes-style Status (say, a state IM never sends). */
  body?: unknown;
}

export interface Upstream {
  host: string;
  port: number;
  /** PEM of the CA the upstream's certificate chains to; set for an HTTPS upstream. */
  tlsCa?: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export class HttpLayer {
  readonly rules: HttpErrorRule[] = [];
  injected = 0;
  requests = 0;
  private server: Server | undefined;
  private readonly watches = new Set<Socket>();

  constructor(
    private readonly upstream: Upstream,
    private readonly serving?: { certPem: string; keyPem: string },
  ) {}

  async listen(): Promise<number> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    const server =
      this.serving === undefined
        ? createHttpServer(handler)
        : createHttpsServer({ cert: this.serving.certPem, key: this.serving.keyPem }, handler);
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  }

  /** Ends every open watch response now; returns how many. */
  cutWatches(): number {
    const count = this.watches.size;
    for (const socket of this.watches) socket.destroy();
    this.watches.clear();
    return count;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private matchRule(req: IncomingMessage): HttpErrorRule | undefined {
    const path = req.url ?? '/';
    const index = this.rules.findIndex(
      (rule) =>
        (rule.method === undefined || rule.method.toUpperCase() === req.method) &&
        (rule.path === undefined || new RegExp(rule.path).test(path)),
    );
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules.splice(index, 1);
    }
    return rule;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests += 1;
    const rule = this.matchRule(req);
    if (rule !== undefined) {
      this.injected += 1;
      req.resume();
      const body = JSON.stringify(
        rule.body ?? { kind: 'Status', status: 'Failure', code: rule.status, message: 'injected by the test bed fault proxy' },
      );
      res.writeHead(rule.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (isWatch(req.url ?? '/')) {
      const socket = req.socket;
      this.watches.add(socket);
      res.on('close', () => this.watches.delete(socket));
    }
    const send = this.upstream.tlsCa === undefined ? httpRequest : httpsRequest;
    const upstreamReq = send(
      {
        host: this.upstream.host,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers: withoutHopByHop(req.headers),
        ca: this.upstream.tlsCa,
        agent: false,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, withoutHopByHop(upstreamRes.headers));
        res.flushHeaders();
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream unreachable: ${error.message}`);
      } else {
        res.destroy();
      }
    });
    res.on('close', () => upstreamReq.destroy());
    req.pipe(upstreamReq);
  }

  /** Upgrades (kubectl exec, port-forward, websockets) pass through as raw bytes. */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const upstream =
      this.upstream.tlsCa === undefined
        ? netConnect(this.upstream.port, this.upstream.host)
        : tlsConnect({ host: this.upstream.host, port: this.upstream.port, ca: this.upstream.tlsCa });
    upstream.once(this.upstream.tlsCa === undefined ? 'connect' : 'secureConnect', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
    upstream.on('close', () => socket.destroy());
  }
}

function isWatch(url: string): boolean {
  const parsed = new URL(url, 'http://x');
  const watch = parsed.searchParams.get('watch');
  return watch === 'true' || watch === '1' || parsed.pathname.includes('/watch/');
}

function withoutHopByHop(headers: IncomingMessage['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}
