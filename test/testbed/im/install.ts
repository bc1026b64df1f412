/**
 * The pinned IM in its cached virtualenv: installed by install-im.sh on first
 * use (about two minutes), then found at once.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const IM_VERSION = '2.0.0';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'install-im.sh');

/** Resolves with the virtualenv's directory. */
export function ensureIm(version = IM_VERSION): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT],
      { env: { ...process.env, AFP_IM_VERSION: version }, timeout: 20 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const venv = stdout.trim().split('\n').pop() ?? '';
        if (error !== null || venv === '') {
          reject(
            new Error(
              `installing IM ${version} failed (bash ${SCRIPT}): ${stderr.trim().split('\n').slice(-15).join('\n') || error?.message}`,
            ),
          );
          return;
        }
        resolve(venv);
      },
    );
  });
}
