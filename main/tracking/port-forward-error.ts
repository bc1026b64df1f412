/**
 * Why a port-forward could not start, in the API server's words. The
 * WebSocket client only reports "Unexpected server response: 500"; the reason
 * (e.g. "error dialing backend: … no such host") is in the body of that
 * answer, so the upgrade is asked for once more with a plain HTTPS request that
 * reads it.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { AfpError } from '../errors';
import { say } from '../messages/message';
import { describeKubeError } from '../kube/api-errors';

export async function portForwardError(
  error: unknown,
  kc: KubeConfig,
  where: { namespace: string; pod: string; port: number; service: string },
): Promise<AfpError> {
  const subject = `port-forward to Service ${where.service} in ${where.namespace}`;
  const cause = unwrap(error);
  const status = /Unexpected server response: (\d+)/.exec(cause.message)?.[1];
  if (status === undefined) return describeKubeError(cause, { object: subject });
  const said = await upgradeAnswer(kc, `/api/v1/namespaces/${where.namespace}/pods/${where.pod}/portforward?ports=${where.port}`).catch(
    () => undefined,
  );
  return new AfpError(
    'unavailable',
    say('link.apiCannotOpen', {
      service: where.service,
      namespace: where.namespace,
      pod: where.pod,
      status,
      said: said === undefined ? '' : `: ${said}`,
    }),
    { cause },
  );
}

/** ws reports failures as an ErrorEvent (message + error), not an Error. */
function unwrap(error: unknown): Error {
  if (error instanceof Error) return error;
  const event = error as { error?: unknown; message?: unknown } | null;
  if (event?.error instanceof Error) return event.error;
  return new Error(typeof event?.message === 'string' ? event.message : 'the port-forward connection failed');
}

async function upgradeAnswer(kc: KubeConfig, path: string): Promise<string | undefined> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) return undefined;
  const options: https.RequestOptions & { headers: OutgoingHttpHeaders } = {
    method: 'GET',
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'),
      'sec-websocket-protocol': 'v4.channel.k8s.io',
    },
  };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve) => {
    const request = https.request(new URL(server.replace(/\/+$/, '') + path), { ...options, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(statusMessage(Buffer.concat(chunks).toString('utf8'))));
      response.on('error', () => resolve(undefined));
    });
    // It worked this time: nothing to explain.
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      resolve(undefined);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
    request.end();
  });
}

function statusMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not a Status: the text itself.
  }
  return text.trim().slice(0, 300);
}
