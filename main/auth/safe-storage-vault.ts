/**
 * The desktop app's vault: the record encrypted with Electron's safeStorage
 * (Keychain, DPAPI, libsecret/kwallet). The shell passes safeStorage in, so
 * this file never imports electron. Where Linux offers only the plain-text
 * backend, nothing is written and the user is told why.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AfpError } from '../errors';
import { writeWhole } from '../fs/whole-file';
import { PRODUCT_NAME } from '../paths';
import { parseVaultRecord, type TokenVault, type VaultRecord } from './vault';

/** The part of Electron's safeStorage this vault uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means "encrypted" with a fixed key, i.e. not at all. */
  getSelectedStorageBackend?(): string;
}

export const PLAIN_TEXT_NOTICE =
  'Your sign-in is kept only until the app quits: this desktop has no keyring (GNOME Keyring or KWallet) to encrypt it with, and the app will not store tokens in plain text.';
export const NO_ENCRYPTION_NOTICE = 'Your sign-in is kept only until the app quits: the system offers no encryption for stored secrets.';

const HEADER = `# ${PRODUCT_NAME} token vault, encrypted with the system keyring; delete to sign out\n`;

export class SafeStorageVault implements TokenVault {
  readonly kind = 'safe-storage';
  readonly persistent: boolean;
  readonly notice?: string;

  constructor(
    private readonly safeStorage: SafeStorageLike,
    readonly file: string,
    platform: NodeJS.Platform = process.platform,
  ) {
    const refusal = refusalOf(safeStorage, platform);
    this.persistent = refusal === undefined;
    if (refusal !== undefined) this.notice = refusal;
  }

  async load(): Promise<VaultRecord | undefined> {
    if (!this.persistent) return undefined;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AfpError('unavailable', `Cannot read the token vault: ${(error as Error).message}.`, { file: this.file });
    }
    let plain: string;
    try {
      plain = this.safeStorage.decryptString(Buffer.from(text.replace(HEADER, '').trim(), 'base64'));
    } catch {
      throw new AfpError('invalid_input', 'The token vault cannot be decrypted (another user, or the keyring was reset); sign in again.', {
        file: this.file,
      });
    }
    const record = parseVaultRecord(plain);
    if (record === undefined) throw new AfpError('invalid_input', 'The token vault is damaged; sign in again.', { file: this.file });
    return record;
  }

  async save(record: VaultRecord): Promise<void> {
    if (!this.persistent) return;
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const sealed = this.safeStorage.encryptString(JSON.stringify(record)).toString('base64');
    await writeWhole(this.file, `${HEADER}${sealed}\n`, 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }

  /** The app is single-instance: in-process single-flight (the session's) is enough. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

function refusalOf(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) return NO_ENCRYPTION_NOTICE;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return PLAIN_TEXT_NOTICE;
  return undefined;
}
