/**
 * The test bed's Kubernetes, etcd and kwok programs: built once per version set
 * by build-binaries.sh into a cache outside the repository. When they are
 * cached this takes a few milliseconds; on a fresh machine it builds them,
 * with the build's progress on stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./build-binaries.sh', import.meta.url));
export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'] as const;

/** Returns the folder holding the binaries, building them first if needed. */
export async function ensureBinaries(): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${SCRIPT} failed (exit code ${code}); its messages are above`));
    });
  });
  const binDir = output.trim().split('\n').pop() ?? '';
  const missing = BINARIES.filter((name) => !existsSync(join(binDir, name)));
  if (missing.length > 0) throw new Error(`${SCRIPT} reported ${binDir}, but ${missing.join(', ')} are missing there`);
  return binDir;
}
