/**
 * Starts the test bed's OpenID provider (oidc-provider 9, HTTPS with a
 * certificate from the bed's CA) as a child process on a free 127.0.0.1 port,
 * and returns once its discovery document answers.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ca } from '../ca';
import { freePort, LOOPBACK, waitHealthy } from '../net';
import { ManagedProcess } from '../process';
import { ADMIN_TTL_PATH } from './admin';
import { caFetch } from './ca-fetch';
import { DEFAULT_TTLS, tokenTtlsSchema, type IdpServerConfig, type TokenTtls } from './config';
import { IDP_CLIENT_ID, IDP_HUB_CLIENT_ID, IDP_RESOURCE, LOOPBACK_REDIRECT } from './client';
import { TEST_USERS, type IdpUser } from './users';

export type { IdpUser } from './users';
export type { TokenTtls } from './config';
export { IDP_CLIENT_ID } from './client';

export interface StartIdpOptions {
  ca: Ca;
  /** Folder for the IdP's config (with its signing key) and certificate. */
  dir: string;
  logDir: string;
  /** Seconds; default 600. */
  accessTokenTtl?: number;
  /** Seconds; default 600. */
  idTokenTtl?: number;
  /** Seconds; default one day. */
  refreshTokenTtl?: number;
  /** More addresses its certificate is valid for (the host's address on the real nodes' network, where pods reach it). */
  alsoAt?: string[];
  /** Value of the bed marker variable in the child's environment (see process.ts); defaults to `dir`. */
  marker?: string;
}

export interface Idp {
  issuer: string;
  clientId: string;
  /** Registered loopback redirect; any port is accepted (RFC 8252 §7.3). */
  redirectUri: string;
  /** Send with `resource=` or leave out: it is the default, and its tokens are JWTs with `aud` = clientId. */
  resource: string;
  users: IdpUser[];
  /** The client registered for hubs (confidential; redirect http://127.0.0.1:<any port>/hub/oauth_callback). */
  hubClient: { id: string; secret: string };
  /** The CA that signed the IdP's certificate. */
  caPath: string;
  process: ManagedProcess;
  /** Changes the lifetimes of tokens issued from now on; returns the lifetimes in force. */
  setTtl(ttl: Partial<TokenTtls>): Promise<TokenTtls>;
  stop(): Promise<void>;
}

const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'server.ts');
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function startIdp(opts: StartIdpOptions): Promise<Idp> {
  const dir = join(opts.dir, 'idp');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ttl = tokenTtlsSchema.parse({
    accessToken: opts.accessTokenTtl ?? DEFAULT_TTLS.accessToken,
    idToken: opts.idTokenTtl ?? DEFAULT_TTLS.idToken,
    refreshToken: opts.refreshTokenTtl ?? DEFAULT_TTLS.refreshToken,
  });
  const cert = await opts.ca.issue('idp', [LOOPBACK, 'localhost', ...(opts.alsoAt ?? [])]);
  const port = await freePort();
  const issuer = `https://${LOOPBACK}:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const config: IdpServerConfig = {
    host: LOOPBACK,
    port,
    certPath: cert.certPath,
    keyPath: cert.keyPath,
    clientId: IDP_CLIENT_ID,
    resource: IDP_RESOURCE,
    adminToken: randomBytes(24).toString('base64url'),
    hubClientSecret: randomBytes(24).toString('base64url'),
    cookieKeys: [randomBytes(24).toString('base64url')],
    jwks: [{ ...privateKey.export({ format: 'jwk' }), kid: `testbed-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' }],
    ttl,
  };
  const configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(config), { mode: 0o600 });

  const process = new ManagedProcess(
    {
      name: 'idp',
      command: globalThis.process.execPath,
      args: ['--import', 'tsx', SERVER, configPath],
      logDir: opts.logDir,
      cwd: REPO_ROOT,
    },
    opts.marker ?? opts.dir,
  );
  process.start();
  await waitHealthy(`${issuer}/.well-known/openid-configuration`, { ca: opts.ca.certPem }, { timeoutMs: 30_000, process });

  const fetch = caFetch(opts.ca.certPem);
  return {
    issuer,
    clientId: config.clientId,
    redirectUri: LOOPBACK_REDIRECT,
    resource: config.resource,
    users: TEST_USERS.map((user) => ({ ...user, groups: [...user.groups] })),
    hubClient: { id: IDP_HUB_CLIENT_ID, secret: config.hubClientSecret },
    caPath: opts.ca.certPath,
    process,
    async setTtl(change) {
      const response = await fetch(`${issuer}${ADMIN_TTL_PATH}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(change),
      });
      if (!response.ok) throw new Error(`IdP refused the new token lifetimes: HTTP ${response.status} ${await response.text()}`);
      return tokenTtlsSchema.parse(await response.json());
    },
    stop: () => process.stop(),
  };
}
