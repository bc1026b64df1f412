/**
 * What integration and e2e tests need from the running test bed: its
 * description (TestbedEnv), kubectl against it, and a namespace of their own.
 * The bed is started once per run by `npm test` (AFP_TESTBED_ENV names its
 * env file) or by hand with `npm run testbed -- up` (.testbed/env.json).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_ENV_PATH, ENV_VARIABLE, readEnv } from '../testbed/env';
import type { TestbedEnv } from '../testbed/env';

export type { TestbedEnv } from '../testbed/env';

let cached: TestbedEnv | undefined;

/** The running bed; throws a plain message saying how to start it when it is not up. */
export function testbedEnv(): TestbedEnv {
  cached ??= readEnv(process.env[ENV_VARIABLE] ?? DEFAULT_ENV_PATH);
  return cached;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (for `apply -f -`). */
  input?: string;
  /** Another kubeconfig (say, one through the fault proxy); default the admin one. */
  kubeconfig?: string;
  timeoutMs?: number;
}

/** Runs the bed's kubectl as admin; never throws for a non-zero exit. */
export function kubectl(args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> {
  const env = testbedEnv();
  return new Promise((resolve) => {
    const child = execFile(
      env.kubectl,
      [`--kubeconfig=${opts.kubeconfig ?? env.adminKubeconfig}`, ...args],
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** kubectl … -o json, parsed; throws with kubectl's message (and where the logs are) on failure. */
export async function kubectlJson<T = unknown>(args: string[], opts: KubectlOptions = {}): Promise<T> {
  const result = await kubectl([...args, '-o', 'json'], opts);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()} (test bed logs: ${testbedEnv().logDir})`);
  return JSON.parse(result.stdout) as T;
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(args: string[], opts: KubectlOptions = {}): Promise<string> {
  const result = await kubectl(args, opts);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()} (test bed logs: ${testbedEnv().logDir})`);
  return result.stdout;
}

/**
 * A fresh namespace for this test, with its default service account in place
 * (pods cannot be created before it), deleted when the test ends.
 */
export async function withNamespace(t: TestContext, prefix = 't'): Promise<string> {
  const slug = `${prefix}-${t.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  const name = `${slug}-${randomBytes(3).toString('hex')}`;
  await kubectlOk(['create', 'namespace', name]);
  t.after(async () => {
    await kubectl(['delete', 'namespace', name, '--wait=false']);
  });
  await waitUntil(
    `service account default in ${name}`,
    async () => (await kubectl(['get', 'serviceaccount', 'default', '-n', name])).code === 0,
    30_000,
  );
  return name;
}

/** Polls `check` until it returns true; the error names what was awaited. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (test bed logs: ${testbedEnv().logDir})`);
    await sleep(intervalMs);
  }
}

export interface AdminTls {
  ca: string;
  cert: string;
  key: string;
}

/** The admin client certificate, key and CA from the bed's admin kubeconfig, for raw HTTPS requests. */
export function adminTls(): AdminTls {
  const env = testbedEnv();
  const config = parseYaml(readFileSync(env.adminKubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const decode = (data: string | undefined): string => Buffer.from(data ?? '', 'base64').toString('utf8');
  return {
    ca: decode(config.clusters[0]?.cluster['certificate-authority-data']),
    cert: decode(config.users[0]?.user['client-certificate-data']),
    key: decode(config.users[0]?.user['client-key-data']),
  };
}
