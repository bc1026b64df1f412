/**
 * The dispatcher's own process: a plain HTTP server on 127.0.0.1 (the real
 * one runs plain HTTP behind its ingress), configured from AFP_DISPATCHER_CONFIG.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { caFetch } from '../idp/ca-fetch';
import { BearerAuthenticator } from './authenticate';
import { CONFIG_VARIABLE, dispatcherConfigSchema } from './config';
import { createDeployment, json, type Reply } from './deployments';
import { forwardToIm } from './proxy';

const config = dispatcherConfigSchema.parse(JSON.parse(process.env[CONFIG_VARIABLE] ?? 'null'));
const authenticator = new BearerAuthenticator(
  config.trustedIssuers.map((issuer) => issuer.replace(/\/+$/, '')),
  caFetch(readFileSync(config.caPath, 'utf8')),
);

async function route(req: IncomingMessage, body: Buffer): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://dispatcher');
  if (url.pathname === '/api/v1/deployments') {
    if (req.method !== 'POST') return json(405, { detail: 'Method Not Allowed' });
    const auth = await authenticator.check(req.headers.authorization);
    if (!auth.ok) return json(auth.status, { detail: auth.detail });
    return createDeployment(body);
  }
  if (url.pathname === '/infrastructures' || url.pathname.startsWith('/infrastructures/')) {
    return forwardToIm(config.imHost, req.method ?? 'GET', `${url.pathname}${url.search}`, req.headers, body);
  }
  return json(404, { detail: 'Not Found' });
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    route(req, Buffer.concat(chunks))
      .catch((error: unknown) => {
        console.error(`${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
        return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error' } satisfies Reply;
      })
      .then((reply) => {
        console.log(`${new Date().toISOString()} ${req.method} ${req.url} -> ${reply.status}`);
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      })
      .catch(() => res.destroy());
  });
});
server.listen(config.port, '127.0.0.1', () =>
  console.log(`${new Date().toISOString()} dispatcher listening on 127.0.0.1:${config.port}, IM at ${config.imHost}`),
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
