/**
 * Links reachable only inside the cluster, opened on demand: a listener on
 * 127.0.0.1 (a free port) whose every connection is carried to a Ready pod
 * behind the Service through client-node's PortForward (the API server's
 * portforward subresource). A forward closes after it has been idle for a
 * while, and with its environment.
 */
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { AfpError } from '../errors';
import { say } from '../messages/message';
import { describeKubeError } from '../kube/api-errors';
import type { PodFacts, ServiceFacts } from './kube-objects';
import { backingPods } from './links';
import { portForwardError } from './port-forward-error';

export interface ForwardTarget {
  kc: KubeConfig;
  namespace: string;
  /** Current facts, read at each connection: pods come and go. */
  service: () => ServiceFacts | undefined;
  pods: () => PodFacts[];
  /** The Service port the link names. */
  port: number;
}

export interface OpenForward {
  key: string;
  localPort: number;
  /** http://127.0.0.1:<port> */
  url: string;
  connections: number;
  /** Last error carrying a connection (e.g. the API server could not reach the node). */
  lastError?: AfpError;
}

/** The part of the WebSocket client-node returns (retryCount 0) that we use. */
interface ForwardSocket {
  on(event: 'close', listener: () => void): void;
  close(): void;
}

interface Entry {
  info: OpenForward;
  server: Server;
  sockets: Set<Socket>;
  idleTimer: NodeJS.Timeout | undefined;
}

export class PortForwards {
  private readonly entries = new Map<string, Entry>();
  private readonly opening = new Map<string, Promise<OpenForward>>();

  constructor(private readonly options: { idleMs?: number; onClose?: (key: string) => void } = {}) {}

  /** The forward for `key`, opened if needed; resolves once it listens. */
  open(key: string, target: ForwardTarget): Promise<OpenForward> {
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.touch(existing);
      return Promise.resolve({ ...existing.info });
    }
    const pending = this.opening.get(key);
    if (pending !== undefined) return pending;
    const started = this.start(key, target).finally(() => this.opening.delete(key));
    this.opening.set(key, started);
    return started;
  }

  get(key: string): OpenForward | undefined {
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : { ...entry.info };
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  close(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    if (entry.idleTimer !== undefined) clearTimeout(entry.idleTimer);
    for (const socket of entry.sockets) socket.destroy();
    entry.server.close();
    this.options.onClose?.(key);
  }

  /** Closes every forward whose key starts with `prefix` (an environment's). */
  closeAll(prefix = ''): void {
    for (const key of this.keys()) if (key.startsWith(prefix)) this.close(key);
  }

  private async start(key: string, target: ForwardTarget): Promise<OpenForward> {
    // Fail now, in words, rather than with a browser's "connection reset" later.
    pickPod(target);
    const sockets = new Set<Socket>();
    const server = createServer((socket) => void this.carry(key, target, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const localPort = typeof address === 'object' && address !== null ? address.port : 0;
    const entry: Entry = {
      info: { key, localPort, url: `http://127.0.0.1:${localPort}`, connections: 0 },
      server,
      sockets,
      idleTimer: undefined,
    };
    this.entries.set(key, entry);
    this.touch(entry);
    return { ...entry.info };
  }

  private async carry(key: string, target: ForwardTarget, socket: Socket): Promise<void> {
    const entry = this.entries.get(key);
    if (entry === undefined) return void socket.destroy();
    entry.sockets.add(socket);
    entry.info.connections += 1;
    this.touch(entry);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      entry.sockets.delete(socket);
      entry.info.connections -= 1;
      this.touch(entry);
    });
    let chosen: { pod: string; port: number } | undefined;
    try {
      chosen = pickPod(target);
      const { pod, port } = chosen;
      const errors: Buffer[] = [];
      const errorSink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          errors.push(chunk);
          done();
        },
      });
      const ws = (await new PortForward(target.kc).portForward(
        target.namespace,
        pod,
        [port],
        socket,
        errorSink,
        socket,
      )) as unknown as ForwardSocket;
      ws.on('close', () => {
        if (errors.length > 0)
          entry.info.lastError = new AfpError(
            'unavailable',
            say('link.forwardFailed', { pod, port, why: Buffer.concat(errors).toString('utf8').trim() }),
          );
        socket.end();
      });
      socket.on('close', () => ws.close());
    } catch (error) {
      socket.destroy();
      const service = target.service()?.name ?? '?';
      entry.info.lastError =
        chosen === undefined
          ? describeKubeError(error, { object: `port-forward to Service ${service} in ${target.namespace}` })
          : await portForwardError(error, target.kc, { namespace: target.namespace, service, ...chosen });
    }
  }

  /** Restarts the idle clock; a forward with no connection for idleMs closes. */
  private touch(entry: Entry): void {
    if (entry.idleTimer !== undefined) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    if (entry.info.connections > 0) return;
    entry.idleTimer = setTimeout(() => this.close(entry.info.key), this.options.idleMs ?? 10 * 60_000);
    entry.idleTimer.unref();
  }
}

/** A Ready pod behind the Service and the container port its Service port targets. */
export function pickPod(target: ForwardTarget): { pod: string; port: number } {
  const service = target.service();
  if (service === undefined) throw new AfpError('not_found', say('link.serviceGone', { namespace: target.namespace }));
  const servicePort = service.ports.find((p) => p.port === target.port) ?? service.ports[0];
  if (servicePort === undefined) throw new AfpError('not_found', say('link.noPort', { service: service.name, port: target.port }));
  const ready = backingPods(service, target.pods()).filter((p) => p.ready);
  const pod = ready[0];
  if (pod === undefined) throw new AfpError('unavailable', say('link.noReadyPod', { service: service.name, namespace: target.namespace }));
  const wanted = servicePort.targetPort;
  const port = typeof wanted === 'number' ? wanted : pod.ports.find((p) => p.name === wanted)?.containerPort;
  if (port === undefined) throw new AfpError('not_found', say('link.noContainerPort', { pod: pod.name, port: String(wanted) }));
  return { pod: pod.name, port };
}
