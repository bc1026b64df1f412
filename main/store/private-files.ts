/**
 * The app data folder guards the token vault, the inventory and the settings,
 * so it is 0700 and the files in it 0600 (other users on the machine read
 * nothing). Created so, and tightened when found looser (an older version, a
 * copied folder, a umask of 022). Windows keeps its own ACLs: no-op there.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

function tighten(target: string, mode: number): void {
  try {
    if ((statSync(target).mode & 0o777 & ~mode) !== 0) chmodSync(target, mode);
  } catch {
    // Best effort: a file not there yet is created 0600; one we do not own (EPERM) is left for the user to fix.
  }
}

/** Makes `dir` (0700), tightens it and the given files in it when looser than 0700/0600. */
export function keepPrivate(dir: string, files: readonly string[] = []): void {
  if (process.platform === 'win32') return;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE);
  for (const file of files) tighten(file, PRIVATE_FILE_MODE);
}
