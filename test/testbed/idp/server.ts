/**
 * The IdP's own process (argv[2] = its config file): oidc-provider over HTTPS
 * on 127.0.0.1. A child process rather than in-process, so its event loop
 * answers tokens while a test blocks its own, and so the orchestrator can stop,
 * restart and fault it like every other server of the bed.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { adminRoutes } from './admin';
import { readIdpServerConfig } from './config';
import { interactionRoutes } from './interactions';
import { buildProvider } from './provider';
import { jwtUserinfo, publicJwks } from './userinfo';

const configPath = process.argv[2];
if (configPath === undefined) throw new Error('usage: server.ts <config.json>');
const config = await readIdpServerConfig(configPath);
const issuer = `https://${config.host}:${config.port}`;
const ttl = { ...config.ttl };
const provider = buildProvider(issuer, config, ttl);

provider.use(adminRoutes(config.adminToken, ttl));
provider.use(jwtUserinfo({ path: provider.pathFor('userinfo'), issuer, audience: config.clientId, jwks: publicJwks(config.jwks) }));
provider.use(interactionRoutes(provider));
provider.on('server_error', (_ctx, error) => console.error(`server_error: ${error.message}`));
provider.on('grant.error', (_ctx, error) => {
  // A device client polling before the user has signed in is the normal case, not an error worth a log line.
  if (error.message !== 'authorization_pending' && error.message !== 'slow_down') console.error(`grant.error: ${describe(error)}`);
});
provider.on('authorization.error', (_ctx, error) => console.error(`authorization.error: ${describe(error)}`));
provider.on('userinfo.error', (_ctx, error) => console.error(`userinfo.error: ${describe(error)}`));

function describe(error: Error & { error_description?: unknown }): string {
  return typeof error.error_description === 'string' ? `${error.message} (${error.error_description})` : error.message;
}

const handle = provider.callback();
const server = createServer({ cert: await readFile(config.certPath), key: await readFile(config.keyPath) }, (req, res) => {
  void handle(req, res);
});
server.listen(config.port, config.host, () => console.log(`${new Date().toISOString()} IdP listening, issuer ${issuer}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}
