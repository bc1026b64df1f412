/**
 * Crash safety: a process playing the app (crash-driver.ts, the real Inventory
 * and EnvironmentOperations) is SIGKILLed at seeded random moments, 200 times:
 * most during inventory writes (several writers on one file, as the app and
 * the CLI share it), the rest during real deploys to the test bed. After the
 * kills, every record must parse, match its schema, have its backup, hold every
 * write that was acknowledged, and never claim more than the cluster has; an
 * interrupted deploy must resume to the end or be deleted cleanly.
 * AFP_CRASH_SEED replays a run; AFP_CRASH_CYCLES="<inventory>,<deploy>" resizes it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { EnvironmentOperations } from '../../../main/environments/operations';
import { Inventory } from '../../../main/inventory/inventory';
import { environmentRecordSchema, type EnvironmentRecord } from '../../../main/inventory/record';
import { FaultProxy } from '../../testbed/fault/proxy';
import { adminTls, kubectl, testbedEnv } from '../../support/testbed';
import { adminKubeconfigVia, FIXTURES } from '../deploy/support';
import { bundleCrashDriver } from './bundle-driver';
import { expectedAfter, writerPrefix } from './crash-ops';
import { runDriver, seededRandom } from './crash-kill';
import { missingFromCluster } from './cluster-truth';

const SEED = Number(process.env.AFP_CRASH_SEED ?? 20261123);
const [INVENTORY_CYCLES, DEPLOY_CYCLES] = (process.env.AFP_CRASH_CYCLES ?? '188,12').split(',').map(Number) as [number, number];
const WRITERS = ['a', 'b', 'c', 'd'];
const DEPLOYS_AT_ONCE = 4;

let driver: string;
let scratch: string;

before(async () => {
  driver = await bundleCrashDriver();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'afp-crash-'));
});
after(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(path.dirname(driver), { recursive: true, force: true });
});

/** The whole file as the next start of the app finds it; what a reader would see is checked, not just that it opens. */
function checkFile(dir: string, backupDue = true): EnvironmentRecord[] {
  const inventory = Inventory.open(dir);
  const records = inventory.list();
  assert.equal(
    records.filter((r) => r.operations.some((op) => op.outcome === 'running')).length,
    0,
    'no operation of a dead process is left running',
  );
  // The backup appears with the second write and is only ever replaced, never removed.
  if (!backupDue && !existsSync(`${inventory.path}.bak`)) return records;
  const backup = JSON.parse(readFileSync(`${inventory.path}.bak`, 'utf8')) as { schemaVersion?: unknown; environments?: unknown[] };
  assert.equal(backup.schemaVersion, 1, 'the backup carries its schema version');
  for (const [index, record] of (backup.environments ?? []).entries()) {
    const parsed = environmentRecordSchema.safeParse(record);
    assert.ok(parsed.success, `backup record ${index}: ${parsed.error?.issues[0]?.message ?? ''}`);
  }
  const litter = readdirSync(dir).filter((file) => /\.tmp|\.lock$/.test(file));
  assert.deepEqual(litter, [], 'no temporary or lock file outlives the process that made it');
  return records;
}

describe('crash safety: SIGKILL at random points', { timeout: 240_000 }, () => {
  test(`inventory writes: ${INVENTORY_CYCLES} kills of writers sharing one file lose no acknowledged write`, async (t) => {
    const random = seededRandom(SEED);
    const dir = path.join(scratch, 'inventory');
    // Op count each writer is known to have applied.
    const applied = new Map(WRITERS.map((w) => [w, 0]));
    let kills = 0;
    let inFlightLanded = 0;
    const began = Date.now();
    while (kills < INVENTORY_CYCLES) {
      const group = WRITERS.slice(0, Math.min(WRITERS.length, INVENTORY_CYCLES - kills));
      const runs = await Promise.all(
        group.map((w) => runDriver(driver, ['inventory', dir, w, String(applied.get(w))], Math.floor(random() * 400))),
      );
      kills += runs.filter((r) => r.killed).length;
      const records = checkFile(dir, [...applied.values()].reduce((a, b) => a + b, 0) >= 2);
      for (const [i, writer] of group.entries()) {
        const acks = runs[i]!.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
        const acked = acks.length === 0 ? applied.get(writer)! : acks.at(-1)! + 1;
        const mine = new Map(
          records
            .filter((r) => r.name.startsWith(writerPrefix(writer)))
            .map((r) => [Number(r.name.slice(writerPrefix(writer).length)), r.values.seq]),
        );
        const same = (expected: Map<number, number>): boolean =>
          expected.size === mine.size && [...expected].every(([slot, seq]) => mine.get(slot) === seq);
        // The write in flight at the kill either landed whole or not at all.
        if (same(expectedAfter(acked))) applied.set(writer, acked);
        else if (same(expectedAfter(acked + 1))) {
          applied.set(writer, acked + 1);
          inFlightLanded += 1;
        } else
          assert.fail(
            `writer ${writer}: after ${acked} acknowledged writes the file holds ${JSON.stringify([...mine])}, expected ${JSON.stringify([...expectedAfter(acked)])}`,
          );
      }
    }
    const writes = [...applied.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(
      `seed ${SEED}: ${kills} kills, ${writes} writes kept, ${inFlightLanded} in-flight writes landed whole, ${((Date.now() - began) / 1000).toFixed(1)} s`,
    );
    assert.equal(kills, INVENTORY_CYCLES);
  });

  test(`deploys: ${DEPLOY_CYCLES} kills mid-deploy; the records never claim more than the cluster has, and each resumes or is deleted cleanly`, async (t) => {
    const random = seededRandom(SEED + 1);
    const dir = path.join(scratch, 'deploys');
    const api = new URL(testbedEnv().apiServerUrl);
    // 15 ms each way stretches a deploy over ~1 s of waves, so the kills land inside them.
    const proxy = await FaultProxy.start({
      name: 'crash-deploys',
      mode: 'tcp',
      upstream: { host: api.hostname, port: Number(api.port), tlsCa: adminTls().ca },
    });
    proxy.set({ latencyMs: { up: 15, down: 15 } });
    const kubeconfig = adminKubeconfigVia(scratch, proxy.url);
    const names: string[] = [];
    t.after(async () => {
      await proxy.close();
      await Promise.all(names.map((name) => kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found'])));
    });
    const env = { ...process.env, AFP_CRASH_FIXTURES: FIXTURES };
    const deployName = (i: number): string => `crash-${(SEED % 0xffff).toString(16)}-${i}-${process.pid % 1000}`;

    // One deploy to its end tells how long a deploy takes here and now.
    names.push(deployName(0));
    const whole = await runDriver(driver, ['deploy', dir, kubeconfig, deployName(0)], undefined, env);
    assert.deepEqual(whole.lines, ['ready', 'done succeeded']);
    const spanMs = Math.max(whole.ranMs, 500);
    let killed = 0;
    for (let i = 1; i <= DEPLOY_CYCLES; i += DEPLOYS_AT_ONCE) {
      const batch = Array.from({ length: Math.min(DEPLOYS_AT_ONCE, DEPLOY_CYCLES - i + 1) }, (_, k) => deployName(i + k));
      names.push(...batch);
      const runs = await Promise.all(
        batch.map((name) => runDriver(driver, ['deploy', dir, kubeconfig, name], Math.floor(random() * spanMs * 1.1), env)),
      );
      killed += runs.filter((r) => r.killed).length;
    }

    const inventory = Inventory.open(dir);
    const records = checkFile(dir);
    const byName = new Map(records.map((r) => [r.name, r]));
    const interrupted = records.filter((r) => r.operations.at(-1)?.outcome === 'interrupted');
    assert.deepEqual(
      inventory.interrupted.map((r) => r.name).sort(),
      interrupted.map((r) => r.name).sort(),
      'opening marked exactly the cut deploys interrupted',
    );
    for (const name of names) {
      const record = byName.get(name);
      if (record === undefined) {
        // Killed before the record was written: the cluster was never touched.
        assert.notEqual((await kubectl(['get', 'namespace', name])).code, 0, `${name}: no record, so no namespace`);
        continue;
      }
      assert.match(
        record.operations.at(-1)?.outcome ?? '',
        /^(interrupted|succeeded)$/,
        `${name}: ${JSON.stringify(record.operations.at(-1))}`,
      );
      assert.deepEqual(await missingFromCluster(record), [], `${name}: every object recorded as applied is in the cluster`);
    }

    // Seeded: about half resume, the others are deleted.
    const operations = new EnvironmentOperations({ store: inventory, catalogue: () => loadCatalogue({ dirs: [FIXTURES] }) });
    const resumed: string[] = [];
    const deleted: string[] = [];
    for (const record of interrupted) (random() < 0.5 ? resumed : deleted).push(record.name);
    const results = await Promise.all([
      ...resumed.map(async (name) => ({ name, how: 'resume', result: await (await operations.resume(name)).done })),
      ...deleted.map(async (name) => ({ name, how: 'delete', result: await (await operations.delete(name, { waitMs: 60_000 })).done })),
    ]);
    for (const { name, how, result } of results)
      assert.equal(result.outcome, 'succeeded', `${how} ${name}: ${JSON.stringify(result.error)}`);
    for (const name of resumed) {
      const record = inventory.get(name);
      assert.ok(
        record?.objects.every((o) => o.state === 'applied'),
        `${name}: every object applied after the resume`,
      );
      assert.deepEqual(await missingFromCluster(record), [], `${name}: resumed objects are in the cluster`);
    }
    for (const name of deleted) {
      assert.equal(inventory.get(name), undefined, `${name}: record removed`);
      assert.notEqual((await kubectl(['get', 'namespace', name])).code, 0, `${name}: namespace gone`);
    }
    checkFile(dir);
    t.diagnostic(
      `seed ${SEED}: ${killed} of ${DEPLOY_CYCLES} deploys killed (deploy ≈ ${whole.ranMs} ms), ${records.length - 1} records written before the kill, ${interrupted.length} interrupted: ${resumed.length} resumed, ${deleted.length} deleted`,
    );
  });
});
