/**
 * Finding the bed's processes by the marker every child carries in its
 * environment (process.ts), so `down` can prove none is left and a new bed can
 * clear what a crashed run left behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BED_MARKER, killGroup } from './process';
import { clearNodeLeftovers, nodeLeftovers, readRecord } from './node/leftovers';
import type { RealNodesRecord } from './node/leftovers';

export const BED_DIR_PREFIX = 'afp-testbed-';
const OWNER_FILE = 'owner.json';

/** Pids of live processes started for the bed in `dir` (grandchildren included). */
export function bedProcesses(dir: string): number[] {
  const needle = `${BED_MARKER}=${dir}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (`${environ}\0`.includes(needle)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

export async function killBedProcesses(dir: string): Promise<number> {
  const pids = bedProcesses(dir);
  await Promise.all(pids.map((pid) => killGroup(pid, 3000).catch(() => undefined)));
  // a process that was not a group leader survives a group kill; end it by pid
  for (const pid of bedProcesses(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return pids.length;
}

/**
 * Kills the bed's processes, then clears what its real nodes left outside them
 * (node/leftovers.ts), from `record` or, while the bed's folder exists, its copy there.
 */
export async function clearBed(dir: string, record?: RealNodesRecord): Promise<number> {
  const killed = await killBedProcesses(dir);
  await clearNodeLeftovers(record ?? (await readRecord(dir)));
  return killed;
}

/** What of the bed is left after it stopped: its processes, and its real nodes' shims, cgroups, mounts and network. */
export async function bedLeftovers(dir: string, record?: RealNodesRecord): Promise<string[]> {
  return [...bedProcesses(dir).map((pid) => `process ${pid}`), ...(await nodeLeftovers(record ?? (await readRecord(dir)), dir))];
}

export function ownerFile(dir: string): string {
  return join(dir, OWNER_FILE);
}

/** Removes beds whose owner process is dead, with any process they left. */
export async function sweepStaleBeds(): Promise<void> {
  const root = tmpdir();
  for (const entry of await readdir(root)) {
    if (!entry.startsWith(BED_DIR_PREFIX)) continue;
    const dir = join(root, entry);
    let owner: number | undefined;
    try {
      owner = (JSON.parse(await readFile(ownerFile(dir), 'utf8')) as { pid?: number }).pid;
    } catch {
      continue;
    }
    if (owner === undefined || alive(owner)) continue;
    await clearBed(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
