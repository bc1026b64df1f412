/**
 * The test bed's control endpoint on 127.0.0.1, so a shell (`npm run testbed --
 * fault …`) or a test in another process can turn faults on and off and stop
 * or restart servers of a running bed. Plain JSON over HTTP:
 *   GET  /proxies                          every proxy: url, mode, settings, stats
 *   GET  /proxies/<name>                   one proxy
 *   POST /proxies/<name>/settings {…}      merge FaultSettings
 *   POST /proxies/<name>/clear | pause | resume | reset
 *   POST /proxies/<name>/cut {minAgeMs?, reset?, all?}
 *   GET  /servers                          server names and whether they run
 *   POST /servers/<name>/stop | start | restart
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { LOOPBACK } from '../net';
import type { CutOptions, FaultProxy, FaultSettings } from './proxy';

export interface ServerSwitch {
  running(): boolean;
  pid(): number | undefined;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown };

export async function startControlServer(proxies: Map<string, FaultProxy>, servers: Map<string, ServerSwitch>): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    void route(req, proxies, servers)
      .catch((error: unknown): Answer => ({ status: 400, body: { message: error instanceof Error ? error.message : String(error) } }))
      .then((answer) => reply(res, answer));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  return {
    url: `http://${LOOPBACK}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function describeProxy(proxy: FaultProxy): object {
  return { name: proxy.name, url: proxy.url, mode: proxy.mode, upstream: proxy.upstream, settings: proxy.current, stats: proxy.stats() };
}

async function route(req: IncomingMessage, proxies: Map<string, FaultProxy>, servers: Map<string, ServerSwitch>): Promise<Answer> {
  const parts = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter((part) => part !== '');
  const body = req.method === 'POST' ? await readJson(req) : {};
  const [area, name, action] = parts;
  if (area === 'proxies') {
    if (name === undefined) return { status: 200, body: [...proxies.values()].map(describeProxy) };
    const proxy = proxies.get(name);
    if (proxy === undefined)
      return { status: 404, body: { message: `no fault proxy "${name}"; there are: ${[...proxies.keys()].join(', ')}` } };
    if (action === undefined) return { status: 200, body: describeProxy(proxy) };
    switch (action) {
      case 'settings':
        return { status: 200, body: proxy.set(body as Partial<FaultSettings>) };
      case 'clear':
        return { status: 200, body: proxy.clear() };
      case 'pause':
        proxy.pause();
        return { status: 200, body: proxy.current };
      case 'resume':
        proxy.resume();
        return { status: 200, body: proxy.current };
      case 'reset':
        return { status: 200, body: { cut: proxy.resetConnections() } };
      case 'cut':
        return { status: 200, body: { cut: proxy.cut(body as CutOptions) } };
      default:
        return { status: 404, body: { message: `unknown proxy action "${action}"` } };
    }
  }
  if (area === 'servers') {
    if (name === undefined)
      return {
        status: 200,
        body: [...servers.entries()].map(([server, control]) => ({ name: server, running: control.running(), pid: control.pid() })),
      };
    const control = servers.get(name);
    if (control === undefined)
      return { status: 404, body: { message: `no server "${name}"; there are: ${[...servers.keys()].join(', ')}` } };
    if (action === 'stop') await control.stop();
    else if (action === 'start') await control.start();
    else if (action === 'restart') {
      await control.stop();
      await control.start();
    } else return { status: 404, body: { message: `unknown server action "${action ?? ''}"` } };
    return { status: 200, body: { name, running: control.running() } };
  }
  return { status: 404, body: { message: 'try /proxies or /servers' } };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('the request body is not JSON');
  }
}

function reply(res: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.body, null, 2);
  res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
