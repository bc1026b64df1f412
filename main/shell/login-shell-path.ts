/**
 * A desktop app started from a menu lacks the PATH of the user's shell, so
 * kubeconfig exec plugins (kubelogin, gke-gcloud-auth-plugin, aws) are "not
 * found". Ask the login shell once, as a terminal would see it, and merge.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const MARK = '__AFP_PATH__';

export function loginShellPath(shell = process.env.SHELL ?? '/bin/sh', timeoutMs = 3000): Promise<string | undefined> {
  if (process.platform === 'win32') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      shell,
      ['-ilc', `printf '${MARK}%s${MARK}' "$PATH"`],
      { timeout: timeoutMs, env: { ...process.env, DISABLE_AUTO_UPDATE: 'true' } },
      (error, stdout) => {
        const match = new RegExp(`${MARK}(.*)${MARK}`).exec(stdout);
        resolve(error === null && match?.[1] !== undefined ? match[1] : undefined);
      },
    );
  });
}

/** The current PATH followed by the login shell's entries it lacks, order kept. */
export function mergePath(current: string | undefined, fromShell: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of [...(current ?? '').split(path.delimiter), ...(fromShell ?? '').split(path.delimiter)]) {
    if (entry !== '' && !seen.has(entry)) {
      seen.add(entry);
      out.push(entry);
    }
  }
  return out.join(path.delimiter);
}

export async function adoptLoginShellPath(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  env.PATH = mergePath(env.PATH, await loginShellPath());
}
