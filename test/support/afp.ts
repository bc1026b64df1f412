/**
 * Runs `afp` in this process, as the terminal would, and keeps what it printed;
 * onStderr sees all of stderr so far each time it grows (a person reading the terminal).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main } from '../../main/cli';

export interface AfpRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function afp(args: string[], cwd: string = process.cwd(), onStderr?: (text: string) => void): Promise<AfpRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        onStderr?.(stderr);
      },
    },
  });
  return { code, stdout, stderr };
}

export interface AfpOpen {
  /** The forwarded URL afp printed, and the one the "browser" was handed. */
  url: string;
  opened: string;
  /** Ctrl-C, as the terminal sends it; resolves to afp's exit code. */
  interrupt(): Promise<number>;
}

/**
 * Runs `afp open <environment> <link>` with a "browser" that writes down the URL it was
 * given (a script in folder), until afp prints the forwarded URL; interrupt() ends it.
 */
export async function afpOpen(environment: string, link: string, folder: string): Promise<AfpOpen> {
  const opened = join(folder, 'opened.txt');
  const browser = join(folder, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
  chmodSync(browser, 0o755);
  const before = process.env.AFP_BROWSER;
  process.env.AFP_BROWSER = browser;
  let stdout = '';
  const io = { cwd: process.cwd(), stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } };
  const running = main(['open', environment, link], io);
  let ended = false;
  const interrupt = async (): Promise<number> => {
    if (!ended) process.emit('SIGINT');
    ended = true;
    if (before === undefined) delete process.env.AFP_BROWSER;
    else process.env.AFP_BROWSER = before;
    return running;
  };
  try {
    const finished = running.then((code) => Promise.reject(new Error(`afp open ended (exit ${code}) before printing a URL: ${stdout}`)));
    const printed = (async (): Promise<string> => {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
        const url = /(http:\/\/127\.0\.0\.1:\d+\S*)/.exec(stdout)?.[1];
        if (url !== undefined) return url;
      }
      throw new Error(`afp open printed no URL within 60 s: ${stdout}`);
    })();
    const url = await Promise.race([printed, finished]);
    return { url, opened: readFileSync(opened, 'utf8'), interrupt };
  } catch (error) {
    await interrupt();
    throw error;
  }
}
