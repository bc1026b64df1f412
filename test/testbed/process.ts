/**
 * A server of the test bed as an operating-system process: started in a
 * process group of its own (so stopping it also stops anything it spawned),
 * its output appended to `<logDir>/<name>.log`, and restartable with the same
 * command line (for tests that stop and restart a server).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  /** Short name; also the log file's name. */
  name: string;
  command: string;
  args: string[];
  logDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every child carries this variable, so a later run can tell our leftovers from unrelated processes. */
export const BED_MARKER = 'AFP_TESTBED_DIR';

export class ManagedProcess {
  readonly name: string;
  readonly logPath: string;
  private child: ReturnType<typeof spawn> | undefined;
  private exitInfo: ExitInfo | undefined;
  private exitPromise: Promise<ExitInfo> = Promise.resolve({ code: null, signal: null });

  constructor(
    private readonly spec: ProcessSpec,
    private readonly marker: string,
  ) {
    this.name = spec.name;
    this.logPath = join(spec.logDir, `${spec.name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** Set once the process has exited. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  start(): void {
    if (this.running) return;
    const log = openSync(this.logPath, 'a');
    try {
      const child = spawn(this.spec.command, this.spec.args, {
        cwd: this.spec.cwd,
        env: { ...(this.spec.env ?? process.env), [BED_MARKER]: this.marker },
        stdio: ['ignore', log, log],
        detached: true,
      });
      this.child = child;
      this.exitInfo = undefined;
      this.exitPromise = new Promise<ExitInfo>((resolve) => {
        child.once('exit', (code, signal) => {
          this.exitInfo = { code, signal };
          resolve(this.exitInfo);
        });
        child.once('error', (error) => {
          this.exitInfo = { code: null, signal: null };
          appendNote(this.logPath, `could not start ${this.spec.command}: ${error.message}`);
          resolve(this.exitInfo);
        });
      });
    } finally {
      closeSync(log);
    }
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when no process of the group is left. */
  async stop(graceMs = 5000): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    await killGroup(pid, graceMs);
    await this.exitPromise;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** The last lines of the log, for error messages that point at the cause. */
  logTail(lines = 15): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Resolves when the process exits (immediately if it never started). */
  waitExit(): Promise<ExitInfo> {
    return this.exitPromise;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function killGroup(pgid: number, graceMs = 5000): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(25);
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
    while (groupAlive(pgid)) await sleep(25);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

function appendNote(path: string, note: string): void {
  try {
    appendFileSync(path, `[testbed] ${note}\n`);
  } catch {
    // the log folder is gone; nothing to record into
  }
}
