import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultVaultFile, FileVault } from '../../../main/auth/file-vault';
import type { VaultRecord } from '../../../main/auth/vault';
import { AfpError } from '../../../main/errors';
import { redact } from '../../../main/log';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'afp-vault-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(refreshToken = 'refresh-token-kept-in-the-vault'): VaultRecord {
  return {
    version: 1,
    issuer: 'https://login.example.org/realms/af',
    clientId: 'afp-desktop',
    scopes: ['openid', 'offline_access'],
    refreshToken,
    user: { subject: 'alice', username: 'alice', name: 'Alice', groups: ['af-users'] },
    savedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('file vault', () => {
  it('writes a 0600 file in a 0700 folder that says what it is, and reads it back', async () => {
    const vault = new FileVault(path.join(dir, 'nested', 'token-vault'));
    await vault.save(record());
    const text = await readFile(vault.file, 'utf8');
    assert.equal(
      text.split('\n')[0],
      '# AF Provisioner token vault: refresh token for https://login.example.org/realms/af; delete to sign out',
    );
    assert.equal((await stat(vault.file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(vault.file))).mode & 0o777, 0o700);
    assert.deepEqual(await vault.load(), record());
  });

  it('registers the refresh token it reads as a secret', async () => {
    const vault = new FileVault(path.join(dir, 'secret-vault'));
    await vault.save(record('refresh-token-read-from-disk-42'));
    const fresh = new FileVault(vault.file);
    await fresh.load();
    assert.equal(redact('token refresh-token-read-from-disk-42'), 'token [redacted]');
  });

  it('closes a vault that was made readable by others', async () => {
    const vault = new FileVault(path.join(dir, 'loose-vault'));
    await vault.save(record());
    await chmod(vault.file, 0o644);
    await vault.load();
    assert.equal((await stat(vault.file)).mode & 0o777, 0o600);
  });

  it('answers nothing when there is no vault, and deletes it on clear', async () => {
    const vault = new FileVault(path.join(dir, 'absent-vault'));
    assert.equal(await vault.load(), undefined);
    await vault.save(record());
    await vault.clear();
    assert.equal(await vault.load(), undefined);
  });

  it('reports a damaged vault with its file name instead of half-reading it', async () => {
    const file = path.join(dir, 'damaged-vault');
    await writeFile(file, '# AF Provisioner token vault\n{"version":1,"issuer":', { mode: 0o600 });
    await assert.rejects(
      new FileVault(file).load(),
      (error: unknown) => error instanceof AfpError && error.file === file && /delete it and sign in again/.test(error.message),
    );
  });

  it('lets one process at a time into exclusive sections', async () => {
    const vault = new FileVault(path.join(dir, 'locked-vault'));
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        vault.exclusive(async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(20);
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
  });

  it('breaks a lock left by a process that no longer exists', async () => {
    const vault = new FileVault(path.join(dir, 'stale-vault'));
    await writeFile(`${vault.file}.lock`, '999999999');
    assert.equal(await vault.exclusive(() => Promise.resolve('ran')), 'ran');
  });

  it('lives in the app folder, which AFP_CONFIG_DIR moves', () => {
    assert.equal(defaultVaultFile({ AFP_CONFIG_DIR: '/tmp/afp-x' }), '/tmp/afp-x/token-vault');
  });
});
