import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { AfpError, formatError } from '../../../main/errors';
import { openConfStore } from '../../../main/store/conf-store';
import { Inventory, type InventoryChange } from '../../../main/inventory/inventory';
import { kubeRecord } from '../tracking/records';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-inventory-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const file = (dir: string): string => path.join(dir, 'inventory.json');

describe('Inventory', () => {
  it('keeps records across opens, in the user-visible JSON file', (t) => {
    const dir = tempDir(t);
    Inventory.open(dir).create(kubeRecord());
    const again = Inventory.open(dir);
    assert.equal(again.list().length, 1);
    assert.equal(again.get('demo')?.id, 'env-1');
    assert.equal(again.get('env-1')?.name, 'demo');
    const onDisk = JSON.parse(readFileSync(file(dir), 'utf8')) as { schemaVersion: number; environments: unknown[] };
    assert.equal(onDisk.schemaVersion, 1);
    assert.equal(onDisk.environments.length, 1);
  });

  it('updates through a mutator, stamps updatedAt and tells listeners', (t) => {
    const dir = tempDir(t);
    const inventory = Inventory.open(dir, { now: () => new Date('2025-02-02T00:00:00.000Z') });
    inventory.create(kubeRecord());
    const changes: InventoryChange[] = [];
    const stop = inventory.onChange((c) => changes.push(c));
    const updated = inventory.update('env-1', (r) => {
      r.status = { phase: 'Degraded', message: 'dask-worker-0: CrashLoopBackOff', since: '2025-02-02T00:00:00.000Z' };
    });
    assert.equal(updated.updatedAt, '2025-02-02T00:00:00.000Z');
    assert.equal(Inventory.open(dir).get('env-1')?.status.phase, 'Degraded');
    assert.deepEqual(
      changes.map((c) => [c.kind, c.record.status.phase]),
      [['updated', 'Degraded']],
    );
    stop();
    inventory.remove('env-1');
    assert.equal(changes.length, 1);
    assert.equal(inventory.list().length, 0);
  });

  it('refuses duplicate ids and names, invalid records and secrets, writing nothing', (t) => {
    const dir = tempDir(t);
    const inventory = Inventory.open(dir);
    inventory.create(kubeRecord());
    assert.throws(
      () => inventory.create(kubeRecord({ id: 'env-2' })),
      (e: AfpError) => e.code === 'conflict' && e.field === 'name',
    );
    assert.throws(
      () => inventory.create(kubeRecord({ name: 'other' })),
      (e: AfpError) => e.code === 'conflict' && e.field === 'id',
    );
    assert.throws(
      () => inventory.update('env-1', (r) => void (r.status.phase = 'Sleeping' as 'Ready')),
      (e: AfpError) => e.code === 'invalid_input' && e.field === 'status.phase',
    );
    assert.throws(
      () => inventory.update('env-1', (r) => void (r.values['minio.rootPassword'] = 'hunter2hunter2')),
      (e: AfpError) => e.code === 'invalid_input' && e.field === 'values.minio.rootPassword' && /secret/.test(e.message),
    );
    const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.${'x'.repeat(20)}`;
    assert.throws(
      () =>
        inventory.update(
          'env-1',
          (r) => void r.operations.push({ id: 'op', kind: 'deploy', startedAt: 'now', outcome: 'failed', message: jwt }),
        ),
      (e: AfpError) => e.code === 'invalid_input' && e.field === 'operations[0].message',
    );
    assert.equal(Inventory.open(dir).get('env-1')?.status.phase, 'Ready');
    assert.equal(JSON.stringify(JSON.parse(readFileSync(file(dir), 'utf8'))).includes('hunter2'), false);
  });

  it('keeps the previous good file as inventory.json.bak on every write', (t) => {
    const dir = tempDir(t);
    const inventory = Inventory.open(dir);
    inventory.create(kubeRecord());
    inventory.update('env-1', (r) => void (r.status.phase = 'Degraded'));
    const backup = JSON.parse(readFileSync(`${file(dir)}.bak`, 'utf8')) as { environments: { status: { phase: string } }[] };
    assert.equal(backup.environments[0]?.status.phase, 'Ready');
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
      [],
    );
  });

  it('sweeps the temporary files and lock a killed writer left, and keeps everything else', (t) => {
    const dir = tempDir(t);
    Inventory.open(dir).create(kubeRecord());
    const left = ['inventory.json.tmp-1763938800123abc123', 'inventory.json.bak.99999.tmp', 'inventory.json.lock'];
    for (const name of left) writeFileSync(path.join(dir, name), name.endsWith('.lock') ? '999999 1' : '{"half":');
    writeFileSync(path.join(dir, 'settings.json.tmp-1763938800123abc123'), '{}');
    const reopened = Inventory.open(dir);
    assert.equal(reopened.list().length, 1);
    assert.deepEqual(readdirSync(dir).sort(), ['inventory.json', 'settings.json.tmp-1763938800123abc123']);
  });

  it('leaves a readable file between the store’s single-key writes, on the first write and on a migration', (t) => {
    const dir = tempDir(t);
    const seen: string[] = [];
    const real = openConfStore(dir, 'inventory');
    let reader = Inventory.open(dir, { recoverInterrupted: false });
    // Another process reading after every key the store writes: what a crash there would leave.
    const watched = {
      get: (key: string) => real.get(key),
      delete: (key: string) => real.delete(key),
      set: (key: string, value: unknown) => {
        real.set(key, value);
        seen.push(`${key}: ${reader.list().length} records`);
      },
      get path() {
        return real.path;
      },
    };
    Inventory.open(watched).create(kubeRecord());
    assert.deepEqual(seen, ['schemaVersion: 0 records', 'environments: 1 records']);

    writeFileSync(
      file(dir),
      JSON.stringify({
        environments: [
          {
            id: 'old',
            name: 'old',
            template: 'dask@1.0.0',
            context: 'c',
            namespace: 'old',
            status: 'Ready',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        ],
      }),
    );
    reader = Inventory.open(dir, { recoverInterrupted: false });
    seen.length = 0;
    writeFileSync(
      file(dir),
      JSON.stringify({
        environments: [
          {
            id: 'old',
            name: 'old',
            template: 'dask@1.0.0',
            context: 'c',
            namespace: 'old',
            status: 'Ready',
            createdAt: '2026-01-01T00:00:00.000Z',
          },
        ],
      }),
    );
    // A reader that opened before sees an unlabelled (version 0) file as it will be once migrated.
    assert.equal(reader.get('old')?.template.name, 'dask');
    Inventory.open(watched);
    assert.deepEqual(seen, ['environments: 1 records', 'schemaVersion: 1 records']);
  });

  it('reports a corrupt file with its line, keeps the file and the backup, and does not start empty', (t) => {
    const dir = tempDir(t);
    const inventory = Inventory.open(dir);
    inventory.create(kubeRecord());
    inventory.create(kubeRecord({ id: 'env-2', name: 'second' }));
    const good = readFileSync(file(dir), 'utf8');
    const corrupt = good.replace('"environments": [', '"environments": [,');
    writeFileSync(file(dir), corrupt);
    const corruptLine = corrupt.split('\n').findIndex((l) => l.includes('[,')) + 1;
    const backupBefore = readFileSync(`${file(dir)}.bak`, 'utf8');

    assert.throws(
      () => Inventory.open(dir),
      (e: AfpError) => {
        assert.equal(e.code, 'invalid_input');
        assert.equal(e.file, file(dir));
        assert.equal(e.line, corruptLine);
        assert.match(
          formatError(e),
          /inventory\.json:\d+: The environment inventory is not valid JSON .*left as it is; the last good copy is .*inventory\.json\.bak/,
        );
        return true;
      },
    );
    // An Inventory opened before the corruption refuses to write over it too.
    assert.throws(() => inventory.update('env-1', (r) => void (r.status.phase = 'Gone')), AfpError);
    assert.equal(readFileSync(file(dir), 'utf8'), corrupt);
    assert.equal(readFileSync(`${file(dir)}.bak`, 'utf8'), backupBefore);
  });

  it('reports a schema violation with the field path and line', (t) => {
    const dir = tempDir(t);
    Inventory.open(dir).create(kubeRecord());
    const text = readFileSync(file(dir), 'utf8').replace('"phase": "Ready"', '"phase": 42');
    writeFileSync(file(dir), text);
    const expectedLine = text.split('\n').findIndex((l) => l.includes('"phase": 42')) + 1;
    assert.throws(
      () => Inventory.open(dir),
      (e: AfpError) => e.code === 'invalid_input' && e.field === 'environments[0].status.phase' && e.line === expectedLine,
    );
    assert.equal(readFileSync(file(dir), 'utf8'), text);
  });

  it('refuses a file written by a newer version without touching it', (t) => {
    const dir = tempDir(t);
    const text = JSON.stringify({ schemaVersion: 99, environments: [] });
    writeFileSync(file(dir), text);
    assert.throws(
      () => Inventory.open(dir),
      (e: AfpError) => e.code === 'unsupported' && /newer AF Provisioner/.test(e.message),
    );
    assert.equal(readFileSync(file(dir), 'utf8'), text);
  });

  it('migrates a version 0 file, keeping the original beside it', (t) => {
    const dir = tempDir(t);
    const v0 = {
      environments: [
        {
          id: 'old-1',
          name: 'legacy',
          template: 'dask@0.9.0',
          values: { 'dask.workers': 3 },
          context: 'naples',
          server: 'https://10.0.0.1:6443',
          namespace: 'afp-legacy',
          status: 'Degraded',
          statusMessage: 'dask-worker-1: CrashLoopBackOff',
          createdAt: '2024-06-01T10:00:00.000Z',
        },
      ],
    };
    writeFileSync(file(dir), JSON.stringify(v0, null, '\t'));
    const inventory = Inventory.open(dir);
    assert.equal(inventory.migratedFrom, 0);
    const record = inventory.get('legacy');
    assert.deepEqual(record?.template, { name: 'dask', version: '0.9.0' });
    assert.deepEqual(record?.target, { kind: 'kube', context: 'naples', server: 'https://10.0.0.1:6443', namespace: 'afp-legacy' });
    assert.deepEqual(record?.status, { phase: 'Degraded', message: 'dask-worker-1: CrashLoopBackOff', since: '2024-06-01T10:00:00.000Z' });
    assert.deepEqual([record?.objects, record?.links, record?.operations], [[], [], []]);
    assert.deepEqual(JSON.parse(readFileSync(`${file(dir)}.v0.bak`, 'utf8')), v0);
    assert.equal((JSON.parse(readFileSync(file(dir), 'utf8')) as { schemaVersion: number }).schemaVersion, 1);
    assert.equal(Inventory.open(dir).migratedFrom, undefined);
  });

  it('marks an operation left running by a dead process as interrupted, and leaves a live one alone', (t) => {
    const dir = tempDir(t);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const inventory = Inventory.open(dir);
    inventory.create(
      kubeRecord({
        status: { phase: 'Deploying', since: 'x' },
        operations: [{ id: 'op-1', kind: 'deploy', startedAt: new Date().toISOString(), outcome: 'running', pid: deadPid }],
      }),
    );
    inventory.create(
      kubeRecord({
        id: 'env-2',
        name: 'live',
        operations: [{ id: 'op-2', kind: 'update', startedAt: new Date().toISOString(), outcome: 'running' }],
      }),
    );
    assert.equal(inventory.get('live')?.operations[0]?.pid, process.pid);

    const reopened = Inventory.open(dir);
    assert.deepEqual(
      reopened.interrupted.map((r) => r.id),
      ['env-1'],
    );
    const op = reopened.get('env-1')?.operations[0];
    assert.equal(op?.outcome, 'interrupted');
    assert.match(op?.message ?? '', /can be resumed/);
    assert.equal(reopened.get('live')?.operations[0]?.outcome, 'running');
  });

  it('keeps the record of an app killed mid-deploy and marks its deploy interrupted, resumable', async (t) => {
    const dir = tempDir(t);
    const inventoryModule = path.resolve(import.meta.dirname, '../../../main/inventory/inventory.ts');
    const record = kubeRecord({
      status: { phase: 'Deploying', since: '2025-01-01T00:00:00.000Z' },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', name: 'afp-demo', state: 'applied' },
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hub', state: 'planned' },
      ],
    });
    // The "app": writes the record before the deploy, marks the deploy running, applies one wave, and is killed.
    const script = `
      import { Inventory } from ${JSON.stringify(inventoryModule)};
      const inventory = Inventory.open(${JSON.stringify(dir)});
      inventory.create(${JSON.stringify(record)});
      inventory.update('env-1', (r) => void r.operations.push({ id: 'op-1', kind: 'deploy', startedAt: new Date().toISOString(), outcome: 'running' }));
      process.stdout.write('deploying');
      setInterval(() => undefined, 1000);
    `;
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('deploying') && resolve());
      child.on('exit', (code) => reject(new Error(`the app exited early (${code}): ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const restarted = Inventory.open(dir);
    assert.deepEqual(
      restarted.interrupted.map((r) => r.id),
      ['env-1'],
    );
    const after = restarted.get('env-1');
    assert.deepEqual(after?.objects, record.objects, 'the record is intact');
    assert.equal(after?.operations[0]?.outcome, 'interrupted');
    assert.equal(after?.operations[0]?.pid, child.pid);
  });

  it('writes atomically: a reader in another process never sees a half-written file', async (t) => {
    const dir = tempDir(t);
    const inventory = Inventory.open(dir);
    inventory.create(kubeRecord({ values: { blob: 'x'.repeat(200_000) } }));
    const reader = spawnAsync(process.execPath, [
      '-e',
      `const fs=require('fs');let bad=0,n=0;const end=Date.now()+1500;while(Date.now()<end){try{JSON.parse(fs.readFileSync(${JSON.stringify(file(dir))},'utf8'));n++}catch(e){if(e.code!=='ENOENT')bad++}}process.stdout.write(JSON.stringify({bad,n}))`,
    ]);
    const end = Date.now() + 1500;
    let writes = 0;
    while (Date.now() < end) {
      inventory.update('env-1', (r) => void (r.values.n = writes));
      writes += 1;
    }
    const result = JSON.parse(await reader) as { bad: number; n: number };
    assert.ok(writes > 10, `only ${writes} writes`);
    assert.ok(result.n > 10, `reader only read ${result.n} times`);
    assert.equal(result.bad, 0);
    assert.equal(existsSync(`${file(dir)}.lock`), false);
  });
});

async function spawnAsync(command: string, args: string[]): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}
