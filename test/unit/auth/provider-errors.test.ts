/** What a user reads when the provider cannot be used at all; no server involved. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { discoverProvider } from '../../../main/auth/provider';
import { AfpError } from '../../../main/errors';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function failsWith(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AfpError, `an AfpError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('identity provider settings that cannot work', () => {
  it('says the issuer cannot be reached, and where', async () => {
    const port = await closedPort();
    await assert.rejects(
      discoverProvider({ issuer: `https://127.0.0.1:${port}`, clientId: 'afp' }),
      failsWith(
        'unavailable',
        new RegExp(
          `Cannot reach the identity provider 127\\.0\\.0\\.1:${port} at https://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\)\\.`,
        ),
      ),
    );
  });

  it('refuses an issuer that is not a URL, and plain http beyond this machine', async () => {
    await assert.rejects(discoverProvider({ issuer: 'login.example.org', clientId: 'afp' }), failsWith('invalid_input', /is not a URL/));
    await assert.rejects(
      discoverProvider({ issuer: 'http://login.example.org', clientId: 'afp' }),
      failsWith('invalid_input', /must use https/),
    );
  });

  it('names a CA file that cannot be read', async () => {
    await assert.rejects(
      discoverProvider({ issuer: 'https://login.example.org', clientId: 'afp', caFile: '/nonexistent/ca.pem' }),
      (error: unknown) =>
        error instanceof AfpError &&
        error.file === '/nonexistent/ca.pem' &&
        error.field === 'caFile' &&
        /Cannot use the CA file/.test(error.message),
    );
  });
});
