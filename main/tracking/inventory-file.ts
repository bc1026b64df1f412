/**
 * The inventory file on disk, beside what the store does: plain-words errors
 * with line numbers, the `.bak` copy of the last good file, and a short lock
 * so the app and the CLI never interleave a read-modify-write.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { AfpError } from '../errors';

export function backupPath(file: string): string {
  return `${file}.bak`;
}

const RECOVER = (file: string): string =>
  existsSync(backupPath(file))
    ? `The file was left as it is; the last good copy is ${backupPath(file)} (copy it over the file to go back to it).`
    : 'The file was left as it is; there is no backup copy yet.';

/** Why the store could not read the file, with line and column for JSON syntax errors. */
export function unreadableInventory(file: string, error: unknown): AfpError {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (readError) {
    const code = (readError as { code?: string }).code ?? 'unknown';
    return new AfpError('unavailable', `The environment inventory cannot be read (${code}). ${RECOVER(file)}`, { file, cause: error });
  }
  const where = syntaxErrorPosition(text);
  const at = where === undefined ? '' : ` at line ${where.line}, column ${where.col}`;
  const what = text.trim() === '' ? 'is empty' : `is not valid JSON${at}`;
  return new AfpError('invalid_input', `The environment inventory ${what}. ${RECOVER(file)}`, {
    file,
    cause: error,
    ...(where === undefined ? {} : { line: where.line }),
  });
}

/** A document that parses but breaks the schema: names the field path and its line. */
export function invalidInventory(file: string, field: string, problem: string, path: readonly PropertyKey[]): AfpError {
  const line = lineOf(file, path);
  return new AfpError('invalid_input', `The environment inventory does not match its schema: ${problem}. ${RECOVER(file)}`, {
    file,
    field,
    ...(line === undefined ? {} : { line }),
  });
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

function syntaxErrorPosition(text: string): { line: number; col: number } | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const offset = doc.errors[0]?.pos[0];
  if (offset !== undefined) return counter.linePos(offset);
  try {
    JSON.parse(text);
  } catch (error) {
    // V8 reports "at position N" for JSON that YAML accepts (e.g. a trailing garbage byte).
    const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    if (match?.[1] !== undefined) return counter.linePos(Number(match[1]));
  }
  return undefined;
}

function lineOf(file: string, path: readonly PropertyKey[]): number | undefined {
  try {
    const counter = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter, keepSourceTokens: false });
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node?.range !== undefined) return counter.linePos(node.range[0]).line;
    }
  } catch {
    // Only a nicer message is lost.
  }
  return undefined;
}

/** Copies the current (known good) file to `.bak` through a temporary file and a rename. */
export function writeBackup(file: string): void {
  if (!existsSync(file)) return;
  const target = backupPath(file);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, readFileSync(file), { mode: 0o600 });
  renameSync(temporary, target);
}

/**
 * Removes the temporary files a killed writer left beside the inventory (the
 * store's atomic-write temp, the backup's). Call it holding the lock: every
 * writer holds it, so any such file then belongs to a process that died.
 */
export function sweepTemporaries(file: string): void {
  const name = basename(file);
  let entries: string[];
  try {
    entries = readdirSync(dirname(file));
  } catch {
    return;
  }
  for (const entry of entries) {
    const ours =
      entry.startsWith(`${name}.tmp-`) ||
      ((entry.startsWith(`${backupPath(name)}.`) || entry.startsWith(`${name}.lock.`)) && entry.endsWith('.tmp'));
    // Our own lock's file is in use right now.
    if (ours && !entry.startsWith(`${name}.lock.${process.pid}.`)) rmSync(join(dirname(file), entry), { force: true });
  }
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 3_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `work` holding `<file>.lock`. The lock is synchronous because the whole
 * read-modify-write is: conf reads and writes synchronously. A lock left by a
 * dead process or older than 10 s is taken over.
 *
 * The lock file appears whole (written aside, then hard-linked into place), so
 * no one ever reads an empty lock and takes it for a stale one; a stale lock is
 * moved aside before it is removed, and put back if it changed hands meanwhile.
 */
export function withFileLock<T>(file: string, work: () => T): T {
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
        if (Date.now() > deadline) {
          throw new AfpError('locked', `The environment inventory is locked by another AF Provisioner process (${lock}); try again.`, {
            file,
          });
        }
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

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}
