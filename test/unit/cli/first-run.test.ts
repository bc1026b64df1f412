/**
 * A new user's first commands, run as they would type them (child processes,
 * so npm's and npx's own argument handling is part of what is checked): help
 * reachable the way the README says, and deploying without any kubeconfig
 * says where it looked and what to do instead.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../../main/app';

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A user with no kubeconfig, no site profile and nothing in the app's folder. */
function newUser(): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(os.tmpdir(), 'afp-first-run-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, AFP_CONFIG_DIR: path.join(home, 'config'), NO_UPDATE_NOTIFIER: '1' };
  delete env.KUBECONFIG;
  delete env.AFP_PROFILE;
  env.npm_config_update_notifier = 'false';
  return env;
}

describe('afp on a new machine', () => {
  it("prints afp's help, not npm's, the ways the README gives", async () => {
    const env = newUser();
    for (const [command, args] of [
      ['npm', ['run', '--silent', 'afp', '--', '--help']],
      ['npx', ['afp', '--help']],
    ] as const) {
      const result = await run(command, [...args], env);
      assert.equal(result.code, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /^Usage: afp <command> \[options\]/m, `${command} ${args.join(' ')}`);
      assert.doesNotMatch(result.stdout, /npm <command>|Run arbitrary package scripts/);
    }
  });

  it('afp deploy without a kubeconfig names the path and the ways forward', async () => {
    const env = newUser();
    const result = await run(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'deploy', 'dask'], env);
    assert.equal(result.code, 1);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `error: No kubeconfig at ${path.join(env.HOME ?? '', '.kube', 'config')} (KUBECONFIG is not set).`);
    assert.match(result.stderr, /--kubeconfig FILE/);
    assert.match(result.stderr, /KUBECONFIG=FILE/);
    assert.match(result.stderr, /--target im/);
    assert.match(result.stderr, /afp export <template> --format kube/);
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });
});
