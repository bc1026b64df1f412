/**
 * The inventory file on disk, beside what the store does: plain-words errors
 * with line numbers, the `.bak` copy of the last good file, and the temporary
 * files a killed writer left. The lock itself is main/fs/sync-file-lock.ts.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { AfpError } from '../errors';
import { writeWholeSync } from '../fs/whole-file';

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
    line,
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
  writeWholeSync(backupPath(file), readFileSync(file));
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

/** The error the inventory's lock gives after waiting for another process too long. */
export function inventoryLocked(file: string): (lock: string) => AfpError {
  return (lock) =>
    new AfpError('locked', `The environment inventory is locked by another AF Provisioner process (${lock}); try again.`, { file });
}
