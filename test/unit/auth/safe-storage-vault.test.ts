/**
 * Electron is not installed here, so safeStorage is played by an object with
 * its documented methods: encryption is a reversible transform, which is all
 * the vault may rely on.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PLAIN_TEXT_NOTICE, SafeStorageVault, type SafeStorageLike } from '../../../main/auth/safe-storage-vault';
import type { VaultRecord } from '../../../main/auth/vault';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'afp-safe-vault-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function keyring(backend: string): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (data) => Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  };
}

const record: VaultRecord = {
  version: 1,
  issuer: 'https://iam.example.org/',
  clientId: 'afp',
  scopes: ['openid'],
  refreshToken: 'refresh-token-for-the-keyring-vault',
  user: { subject: 's', username: 'u', name: 'U', groups: [] },
  savedAt: '2026-01-01T00:00:00.000Z',
};

describe('safeStorage vault', () => {
  it('stores the record encrypted, 0600, and reads it back', async () => {
    const vault = new SafeStorageVault(keyring('gnome_libsecret'), path.join(dir, 'vault.bin'), 'linux');
    assert.equal(vault.persistent, true);
    await vault.save(record);
    const text = await readFile(vault.file, 'utf8');
    assert.ok(!text.includes(record.refreshToken), 'the refresh token is not in clear text');
    assert.match(text, /^# AF Provisioner token vault, encrypted/);
    assert.equal((await stat(vault.file)).mode & 0o777, 0o600);
    assert.deepEqual(await vault.load(), record);
  });

  it("refuses to persist on Linux's plain-text backend and says why", async () => {
    const file = path.join(dir, 'plain.bin');
    const vault = new SafeStorageVault(keyring('basic_text'), file, 'linux');
    assert.equal(vault.persistent, false);
    assert.equal(vault.notice, PLAIN_TEXT_NOTICE);
    await vault.save(record);
    await assert.rejects(stat(file), { code: 'ENOENT' });
    assert.equal(await vault.load(), undefined);
  });

  it('refuses when the system offers no encryption at all', () => {
    const vault = new SafeStorageVault({ ...keyring('unknown'), isEncryptionAvailable: () => false }, path.join(dir, 'none.bin'), 'darwin');
    assert.equal(vault.persistent, false);
    assert.match(vault.notice ?? '', /no encryption/);
  });

  it('reports a vault it cannot decrypt, asking for a new sign-in', async () => {
    const file = path.join(dir, 'other.bin');
    await new SafeStorageVault(keyring('kwallet5'), file, 'linux').save(record);
    const broken = {
      ...keyring('kwallet5'),
      decryptString: (): string => {
        throw new Error('bad key');
      },
    };
    await assert.rejects(new SafeStorageVault(broken, file, 'linux').load(), /cannot be decrypted.*sign in again/);
  });
});
