/**
 * Where a sign-in is kept between runs: the refresh token and who it belongs
 * to, never the access token. Two keepers: Electron's safeStorage (the app)
 * and a 0600 file (the CLI, the browser preview, tests).
 */
import { z } from 'zod';
import { authUserSchema, type AuthUser } from '../contract/auth';
import { registerSecret } from '../log';
import type { AuthSettings } from './settings';

export const vaultRecordSchema = z.object({
  version: z.literal(1),
  issuer: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  groupsClaim: z.string().optional(),
  caFile: z.string().optional(),
  refreshToken: z.string().min(1),
  user: authUserSchema,
  savedAt: z.string(),
});

export type VaultRecord = z.infer<typeof vaultRecordSchema>;

export interface TokenVault {
  readonly kind: 'file' | 'safe-storage' | 'memory';
  /** False when this vault keeps nothing across restarts; `notice` says why, in words for the user. */
  readonly persistent: boolean;
  readonly notice?: string;
  /** The kept sign-in, or undefined; an unreadable vault is reported, never half-read. */
  load(): Promise<VaultRecord | undefined>;
  save(record: VaultRecord): Promise<void>;
  clear(): Promise<void>;
  /**
   * Runs `fn` while no other process refreshes with this vault's token:
   * providers that rotate refresh tokens treat a second use of the old one as
   * theft and revoke the whole sign-in.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** Parses stored JSON into a record; registers the refresh token as a secret at once. */
export function parseVaultRecord(text: string): VaultRecord | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = vaultRecordSchema.safeParse(data);
  if (!parsed.success) return undefined;
  registerSecret(parsed.data.refreshToken);
  return parsed.data;
}

export function vaultRecordFor(settings: AuthSettings, refreshToken: string, user: AuthUser, now: number): VaultRecord {
  const record: VaultRecord = {
    version: 1,
    issuer: settings.issuer,
    clientId: settings.clientId,
    scopes: [...(settings.scopes ?? [])],
    refreshToken,
    user,
    savedAt: new Date(now).toISOString(),
  };
  if (settings.groupsClaim !== undefined) record.groupsClaim = settings.groupsClaim;
  if (settings.caFile !== undefined) record.caFile = settings.caFile;
  return record;
}

export function settingsOfRecord(record: VaultRecord): AuthSettings {
  const settings: AuthSettings = { issuer: record.issuer, clientId: record.clientId, scopes: record.scopes };
  if (record.groupsClaim !== undefined) settings.groupsClaim = record.groupsClaim;
  if (record.caFile !== undefined) settings.caFile = record.caFile;
  return settings;
}

/** Keeps the sign-in for this run only. */
export class MemoryVault implements TokenVault {
  readonly kind = 'memory';
  readonly persistent = false;
  private record: VaultRecord | undefined;

  constructor(readonly notice = 'Your sign-in is kept only until the app quits.') {}

  load(): Promise<VaultRecord | undefined> {
    return Promise.resolve(this.record);
  }

  save(record: VaultRecord): Promise<void> {
    this.record = record;
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.record = undefined;
    return Promise.resolve();
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
