/**
 * A lock file beside the vault, so two `afp` processes (kubectl may start
 * several `afp kube-token` at once) never refresh with the same token.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AfpError } from '../errors';
import { isProcessAlive } from './process';

const STALE_MS = 60_000;

async function stale(lock: string): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(lock), readFile(lock, 'utf8')]);
    const pid = Number.parseInt(text, 10);
    return Date.now() - info.mtimeMs > STALE_MS || (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid));
  } catch {
    // Gone between our attempts, or written but not yet filled: try again rather than break it.
    return false;
  }
}

export async function withFileLock<T>(lock: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await stale(lock)) await rm(lock, { force: true });
      else if (Date.now() > deadline)
        throw new AfpError('locked', `Another afp process holds ${lock}; if none is running, delete that file.`, { file: lock });
      else await sleep(25 + Math.random() * 50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
