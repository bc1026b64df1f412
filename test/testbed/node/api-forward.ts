/**
 * The API server listens on 127.0.0.1 only, which a kubelet inside a node's
 * network namespace cannot reach. This forwards the host's address on the bed
 * network (same port) to it, byte for byte, so TLS and client certificates pass
 * through. The API server advertises that address, so the `kubernetes` Service
 * (10.96.0.1:443) leads pods here too. Chosen over binding the API server to
 * more addresses (it takes one) or to 0.0.0.0 (every interface of the host).
 */
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { LOOPBACK } from '../net';

export interface ApiForward {
  close(): Promise<void>;
}

/** The same forward for another server of the bed on 127.0.0.1 (the IdP, which hubs in pods sign users in with). */
export function forwardLoopbackPort(hostIp: string, port: number): Promise<ApiForward> {
  return forwardApiServer(hostIp, port);
}

export async function forwardApiServer(hostIp: string, port: number): Promise<ApiForward> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, LOOPBACK);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostIp, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
