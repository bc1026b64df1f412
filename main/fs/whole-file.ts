/**
 * Files written whole: a temporary file beside the target, then a rename, so a
 * failure or a crash leaves the old file or the new one, never half of either.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeWhole(file: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, file);
}

/** The same, synchronously, for callers inside a synchronous read-modify-write (the inventory's backup). */
export function writeWholeSync(file: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data, { mode });
  renameSync(temporary, file);
}
