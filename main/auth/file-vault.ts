/**
 * The CLI's (and the browser preview's) vault: one file, mode 0600 in a 0700
 * folder, whose first line says what it is. It holds the refresh token in
 * clear text, like kubectl's and gcloud's credential files; the access token
 * is never written.
 */
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AfpError } from '../errors';
import { PRODUCT_NAME, userDataDir } from '../paths';
import { withFileLock } from '../fs/file-lock';
import { writeWhole } from '../fs/whole-file';
import { parseVaultRecord, type TokenVault, type VaultRecord } from './vault';

export const VAULT_FILE_NAME = 'token-vault';

export function vaultHeader(issuer: string): string {
  return `# ${PRODUCT_NAME} token vault: refresh token for ${issuer}; delete to sign out`;
}

export class FileVault implements TokenVault {
  readonly kind = 'file';
  readonly persistent = true;

  constructor(readonly file: string) {}

  async load(): Promise<VaultRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new AfpError('unavailable', `Cannot read the token vault: ${(error as Error).message}.`, { file: this.file });
    }
    // A vault made readable by others is closed again rather than trusted as is.
    if (process.platform !== 'win32' && ((await stat(this.file)).mode & 0o077) !== 0) await chmod(this.file, 0o600);
    const body = text
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
    const record = parseVaultRecord(body);
    if (record === undefined) {
      throw new AfpError(
        'invalid_input',
        'This is not a readable token vault (damaged or from another version); delete it and sign in again.',
        { file: this.file },
      );
    }
    return record;
  }

  async save(record: VaultRecord): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeWhole(this.file, `${vaultHeader(record.issuer)}\n${JSON.stringify(record, null, 2)}\n`, 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 }).then(() => withFileLock(`${this.file}.lock`, fn));
  }
}

/** The vault the CLI and the browser preview share: beside the settings, in the app's user-data folder. */
export function defaultVaultFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDataDir(env), VAULT_FILE_NAME);
}
