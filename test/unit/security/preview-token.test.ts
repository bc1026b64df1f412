/**
 * The preview's token never reaches a command line: /proc/<pid>/cmdline is
 * readable by every local user, so the browser is opened on a 0600 redirect
 * file (as Jupyter does) instead of the URL with the token. The preview runs
 * as `npm start` runs it, with a display and a recording xdg-open on PATH.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

describe('the preview token on the command line', { skip: process.platform !== 'linux', timeout: 60_000 }, () => {
  it('xdg-open gets a private redirect file, not the URL with the token; the file goes when the preview stops', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-token-'));
    const bin = path.join(dir, 'bin');
    const record = path.join(dir, 'xdg-open.args');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const preview = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../../main/preview-main.ts', import.meta.url))], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, DISPLAY: ':99', AFP_CONFIG_DIR: path.join(dir, 'config') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve) => createInterface({ input: preview.stdout }).once('line', resolve));
      const token = /#token=(.+)$/.exec(url)?.[1];
      assert.ok(token !== undefined, `the first line is the URL with the token: ${url}`);
      for (let i = 0; i < 100 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 100));
      const args = readFileSync(record, 'utf8').trim().split('\n');
      assert.equal(args.length, 1);
      assert.ok(!args.join(' ').includes(token), `the token is on xdg-open's command line: ${args.join(' ')}`);
      assert.match(args[0] ?? '', /^file:\/\//);
      const file = fileURLToPath(args[0] ?? '');
      assert.equal(statSync(file).mode & 0o777, 0o600, 'only the user reads the redirect file');
      assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.ok(readFileSync(file, 'utf8').includes(url), 'the file sends the browser to the preview with its token');
      preview.kill('SIGTERM');
      await new Promise((r) => preview.once('exit', r));
      assert.equal(existsSync(file), false, 'the redirect file is removed when the preview stops');
    } finally {
      preview.kill('SIGKILL');
    }
  });
});
