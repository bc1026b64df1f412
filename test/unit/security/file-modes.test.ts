/**
 * Files that hold a secret (exported manifests with their Secrets, the app's
 * stores) are 0600, and the app data folder that guards them is 0700; a
 * folder or file found looser is tightened when the app opens it.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createApp } from '../../../main/app';
import { main } from '../../../main/cli';
import { createLogger } from '../../../main/log';
import { openConfStore } from '../../../main/store/conf-store';
import { writeBackup } from '../../../main/inventory/inventory-file';
import { testHost } from '../../support/host';

const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;
const quiet = { write: (): boolean => true };

describe('file modes of what holds or guards a secret', { skip: process.platform === 'win32' }, () => {
  it('afp export -o DIR writes the manifests (with their Secrets) as 0600', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-modes-'));
    const code = await main(['export', 'minio', '--name', 'lab', '-o', 'out'], { stdout: quiet, stderr: quiet, cwd: dir });
    assert.equal(code, 0);
    const file = path.join(dir, 'out', 'lab.yaml');
    assert.match(await readFile(file, 'utf8'), /kind: Secret/);
    assert.equal(await modeOf(file), 0o600);
  });

  it('the GUI export writes the manifests as 0600', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-modes-'));
    const app = createApp({ host: testHost(), log: createLogger(() => undefined) });
    try {
      const answer = await app.dispatch(
        'plan.export',
        { template: 'minio', values: {}, name: 'lab', format: 'kube', directory: dir },
        { via: 'http' },
      );
      assert.ok(answer.ok, JSON.stringify(answer));
      const files = (answer.value as { files: string[] }).files;
      assert.equal(files.length, 1);
      assert.equal(await modeOf(files[0] ?? ''), 0o600);
    } finally {
      await app.dispose();
    }
  });

  it('a store (settings, inventory) is 0600 in a 0700 folder, created so', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'afp-modes-')), 'AF Provisioner');
    const store = openConfStore(dir, 'inventory');
    store.set('x', 1);
    assert.equal(await modeOf(dir), 0o700);
    assert.equal(await modeOf(store.path), 0o600);
  });

  it('a folder and store found looser (0755, 0644) are tightened when opened', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'afp-modes-')), 'AF Provisioner');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const file = path.join(dir, 'inventory.json');
    await writeFile(file, '{}', { mode: 0o644 });
    await chmod(file, 0o644);
    const store = openConfStore(dir, 'inventory');
    assert.equal(store.path, file);
    assert.equal(await modeOf(dir), 0o700);
    assert.equal(await modeOf(file), 0o600);
  });

  it("the inventory's backup copy is 0600", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-modes-'));
    const file = path.join(dir, 'inventory.json');
    await writeFile(file, '{}', { mode: 0o600 });
    writeBackup(file);
    assert.equal(await modeOf(`${file}.bak`), 0o600);
  });
});
