/**
 * A synchronous lock file (`<file>.lock`) for a read-modify-write that must not
 * interleave with another process's, such as the inventory's. The lock names
 * its holder's pid, so a lock left behind by a dead process is taken over.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive } from './process';

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 3_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `work` holding `<file>.lock`. The lock is synchronous because the whole
 * read-modify-write is: conf reads and writes synchronously. A lock left by a
 * dead process or older than 10 s is taken over; after 3 s of waiting for a
 * live one, `locked` says why the work was not done.
 *
 * The lock file appears whole (written aside, then hard-linked into place), so
 * no one ever reads an empty lock and takes it for a stale one; a stale lock is
 * moved aside before it is removed, and put back if it changed hands meanwhile.
 */
export function withFileLockSync<T>(file: string, work: () => T, locked: (lock: string) => Error): T {
  const lock = `${file}.lock`;
  const mine = `${lock}.${process.pid}.tmp`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  try {
    for (;;) {
      try {
        writeFileSync(mine, `${process.pid} ${Date.now()}`);
        linkSync(mine, lock);
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ENOENT') {
          mkdirSync(dirname(file), { recursive: true });
          continue;
        }
        if (code !== 'EEXIST') throw error;
        if (takeOverStale(lock)) continue;
        if (Date.now() > deadline) throw locked(lock);
        Atomics.wait(pause, 0, 0, 10);
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Removes the lock when it is stale; true when it did (or the lock was gone already). */
function takeOverStale(lock: string): boolean {
  const seen = readLock(lock);
  if (seen === undefined) return true;
  if (!isStale(seen)) return false;
  const aside = `${lock}.${process.pid}.stale.tmp`;
  try {
    renameSync(lock, aside);
  } catch {
    return true; // someone else took it over first
  }
  if (readLock(aside) !== seen) {
    // Between our look and the move, a live process took the lock: give it back.
    try {
      linkSync(aside, lock);
    } catch {
      // A third process holds it now; the one we moved lost its lock, as it would have to a 10 s timeout.
    }
  }
  rmSync(aside, { force: true });
  return true;
}

function readLock(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8');
  } catch {
    return undefined;
  }
}

function isStale(content: string): boolean {
  const [pidText, atText] = content.split(' ');
  const pid = Number(pidText);
  const at = Number(atText);
  if (!Number.isFinite(at) || Date.now() - at > LOCK_STALE_MS) return true;
  return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
}
