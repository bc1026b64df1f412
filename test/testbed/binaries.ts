/**
 * The test bed's programs, each set built once per version set by a script
 * into a cache outside the repository: build-binaries.sh (Kubernetes' control
 * plane, etcd, kwok) and build-node-binaries.sh (what real nodes run: kubelet,
 * kube-proxy, CoreDNS, local-path-provisioner). When they are cached this takes
 * a few milliseconds; on a fresh machine it builds them, with the build's
 * progress on stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./build-binaries.sh', import.meta.url));
const NODE_SCRIPT = fileURLToPath(new URL('./build-node-binaries.sh', import.meta.url));
const KUBE_ROUTER_SCRIPT = fileURLToPath(new URL('./build-kube-router.sh', import.meta.url));
export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok'] as const;
export const NODE_BINARIES = ['kubelet', 'kube-proxy', 'coredns', 'local-path-provisioner'] as const;

/** Returns the folder holding the binaries, building them first if needed. */
export function ensureBinaries(): Promise<string> {
  return ensureBuilt(SCRIPT, BINARIES);
}

/** The same for the real nodes' programs (a cache of their own, so adding them never rebuilt the others). */
export function ensureNodeBinaries(): Promise<string> {
  return ensureBuilt(NODE_SCRIPT, NODE_BINARIES);
}

/** kube-router, the real nodes' NetworkPolicy enforcer (build-kube-router.sh, a cache of its own keyed by its version). */
export function ensureKubeRouter(): Promise<string> {
  return ensureBuilt(KUBE_ROUTER_SCRIPT, ['kube-router']);
}

async function ensureBuilt(script: string, names: readonly string[]): Promise<string> {
  const binDir = lastLine(await runBuildScript(script));
  const missing = names.filter((name) => !existsSync(join(binDir, name)));
  if (missing.length > 0) throw new Error(`${script} reported ${binDir}, but ${missing.join(', ')} are missing there`);
  return binDir;
}

/** Runs a build script, its messages on our stderr; resolves with its stdout. */
export function runBuildScript(script: string, args: string[] = []): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    // 'close', not 'exit': only then has all of its stdout been read.
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${script} failed (exit code ${code}); its messages are above`));
    });
  });
}

/** Build scripts print their result on their last line. */
export function lastLine(output: string): string {
  return output.trim().split('\n').pop() ?? '';
}
