/**
 * Starting the crash driver and killing it: a seeded random source (the seed
 * is printed, so a failing run can be replayed with AFP_CRASH_SEED), and one
 * driver run that ends in SIGKILL a chosen time after it said `ready`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export { seededRandom } from '../../support/seeded-random';

export interface DriverRun {
  /** Every line the driver printed, in order. */
  lines: string[];
  /** Milliseconds from `ready` to the kill (or to the driver's own exit). */
  ranMs: number;
  killed: boolean;
}

/**
 * Runs the driver with `args`; `killAfterMs(ready)` decides when after `ready`
 * to SIGKILL it (undefined: let it finish). A driver that fails on its own is
 * an error carrying its stderr.
 */
export function runDriver(
  driver: string,
  args: string[],
  killAfterMs: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DriverRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [driver, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const lines: string[] = [];
    let stderr = '';
    let readyAt: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line !== 'ready' || readyAt !== undefined) return;
      readyAt = Date.now();
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      const ranMs = readyAt === undefined ? 0 : Date.now() - readyAt;
      if (signal === 'SIGKILL') return resolve({ lines, ranMs, killed: true });
      if (code === 0) return resolve({ lines, ranMs, killed: false });
      reject(new Error(`the crash driver ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}
