import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemOpener } from '../../../main/shell/system-browser';

// A sign-in URL has '&' in its query; on Windows, cmd.exe would read '&calc' as a second command.
const SIGN_IN = 'https://idp.example/auth?client_id=afp&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&state=x&calc';

describe('the system browser opener', () => {
  it('Windows: the URL goes to rundll32 url.dll,FileProtocolHandler as one argument, with no shell', () => {
    const opener = systemOpener(SIGN_IN, 'win32', { SystemRoot: 'C:\\Windows' });
    assert.ok(opener !== undefined);
    assert.equal(opener.command, 'C:\\Windows\\System32\\rundll32.exe');
    assert.deepEqual(opener.args, ['url.dll,FileProtocolHandler', SIGN_IN]);
    assert.ok(!/cmd(\.exe)?$/i.test(opener.command), 'cmd.exe never sees the URL');
  });

  it('macOS open and Linux xdg-open get the URL as one argument', () => {
    assert.deepEqual(systemOpener(SIGN_IN, 'darwin', {}), { command: 'open', args: [SIGN_IN] });
    assert.deepEqual(systemOpener(SIGN_IN, 'linux', {}), { command: 'xdg-open', args: [SIGN_IN] });
  });

  it('only web addresses and local files are opened: no other scheme, nothing that is no URL', () => {
    for (const target of ['calc.exe', 'C:\\Windows\\System32\\calc.exe', 'javascript:alert(1)', 'ms-msdt:/id', 'smb://host/share', '-h'])
      assert.equal(systemOpener(target, 'win32', {}), undefined, target);
    assert.ok(systemOpener('file:///home/u/.local/share/x.html', 'linux', {}) !== undefined);
  });
});
