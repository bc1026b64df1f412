import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loginShellPath, mergePath } from '../../../main/shell/login-shell-path';

describe("the login shell's PATH for exec plugins", () => {
  it('keeps the current entries first and adds only the missing ones', () => {
    assert.equal(
      mergePath('/usr/bin:/bin', '/home/u/.krew/bin:/usr/bin:/opt/homebrew/bin'),
      '/usr/bin:/bin:/home/u/.krew/bin:/opt/homebrew/bin',
    );
  });

  it('reads PATH from a login shell, ignoring what its profile prints', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-shell-'));
    const shell = path.join(dir, 'fake-login-shell');
    // A real sh, wrapped so its profile noise and PATH are ours.
    writeFileSync(shell, `#!/bin/sh\necho "welcome banner"\nPATH=/opt/tools/bin:$PATH\nexport PATH\nshift\nexec /bin/sh -c "$1"\n`);
    chmodSync(shell, 0o755);
    const found = await loginShellPath(shell);
    assert.ok(found?.startsWith('/opt/tools/bin:'), String(found));
  });

  it('gives up quietly when the shell hangs or fails', async () => {
    assert.equal(await loginShellPath('/nonexistent/shell'), undefined);
  });
});
