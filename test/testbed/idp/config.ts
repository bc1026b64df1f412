/**
 * What the parent writes for the IdP's child process: one JSON file (mode
 * 0600, it holds the signing key), read back and checked at the child's start,
 * so a restarted IdP keeps its issuer, keys and therefore every token it issued.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const seconds = z.number().int().positive();

export const tokenTtlsSchema = z.object({
  accessToken: seconds,
  idToken: seconds,
  refreshToken: seconds,
});

export type TokenTtls = z.infer<typeof tokenTtlsSchema>;

export const DEFAULT_TTLS: TokenTtls = { accessToken: 600, idToken: 600, refreshToken: 24 * 60 * 60 };

export const idpServerConfigSchema = z.object({
  host: z.string(),
  port: z.number().int().positive(),
  certPath: z.string(),
  keyPath: z.string(),
  clientId: z.string(),
  /** Resource indicator every access token is issued for; its audience is the client id. */
  resource: z.string(),
  /** Bearer secret for the test-only endpoint that changes token lifetimes at run time. */
  adminToken: z.string().min(16),
  /** Secret of the hubs' client (client.ts IDP_HUB_CLIENT_ID). */
  hubClientSecret: z.string().min(16),
  cookieKeys: z.array(z.string()).min(1),
  /** Private signing keys as JWKs. */
  jwks: z.array(z.record(z.string(), z.unknown())).min(1),
  ttl: tokenTtlsSchema,
});

export type IdpServerConfig = z.infer<typeof idpServerConfigSchema>;

export async function readIdpServerConfig(path: string): Promise<IdpServerConfig> {
  const parsed = idpServerConfigSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
