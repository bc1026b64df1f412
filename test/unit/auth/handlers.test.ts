import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authHandlers, NO_PROVIDER_MESSAGE } from '../../../main/auth/handlers';
import { AuthSession } from '../../../main/auth/session';
import { MemoryVault } from '../../../main/auth/vault';
import { authContract, authStatusSchema, type AuthEvent } from '../../../main/contract/auth';
import { AfpError } from '../../../main/errors';
import { createLogger } from '../../../main/log';

const context = { via: 'test' } as const;

function setup(settings?: { issuer: string; clientId: string; requiredGroups?: string[] }) {
  const events: AuthEvent[] = [];
  const opened: string[] = [];
  const session = new AuthSession({ vault: new MemoryVault(), log: createLogger(() => undefined) });
  const handlers = authHandlers(
    session,
    { openExternal: (url) => Promise.resolve(opened.push(url) > 0) },
    { settings: () => settings, emit: (e) => events.push(e) },
  );
  return { session, handlers, events, opened };
}

describe('auth handlers', () => {
  it('answer exactly the requests of the auth contract', () => {
    assert.deepEqual(Object.keys(setup().handlers).sort(), Object.keys(authContract).sort());
  });

  it('report a signed-out user, the provider and that the sign-in will not be kept, in the contract shape', async () => {
    const { handlers } = setup({ issuer: 'https://login.example.org', clientId: 'afp', requiredGroups: ['af-users'] });
    const status = authStatusSchema.parse(await handlers['auth.status']({}, context));
    assert.equal(status.state, 'signed-out');
    assert.deepEqual(status.provider, { issuer: 'https://login.example.org', clientId: 'afp' });
    assert.deepEqual(status.requiredGroups, ['af-users']);
    assert.equal(status.allowed, false);
    assert.equal(status.persistent, false);
    assert.match(status.notice ?? '', /until the app quits/);
  });

  it('refuse to start a sign-in when no identity provider is set', async () => {
    const { handlers } = setup();
    await assert.rejects(
      handlers['auth.signIn']({ method: 'browser' }, context),
      (error: unknown) => error instanceof AfpError && error.code === 'unsupported' && error.message === NO_PROVIDER_MESSAGE,
    );
  });

  it('answer a sign-in at once with an operation id, report its failure as an event, and cancel nothing when idle', async () => {
    const { handlers, events } = setup({ issuer: 'https://127.0.0.1:1', clientId: 'afp' });
    const { operationId } = await handlers['auth.signIn']({ method: 'device' }, context);
    assert.match(operationId, /^sign-in-/);
    const done = await new Promise<AuthEvent>((resolve) => {
      const check = setInterval(() => {
        const last = events.at(-1);
        if (last?.type === 'auth.changed' && last.status.operation === undefined && last.status.error !== undefined) {
          clearInterval(check);
          resolve(last);
        }
      }, 20);
    });
    assert.equal(done.type === 'auth.changed' ? done.status.error?.code : undefined, 'unavailable');
    assert.ok(events.some((e) => e.type === 'auth.changed' && e.status.state === 'signing-in' && e.status.operation?.id === operationId));
    assert.deepEqual(await handlers['auth.cancel']({}, context), { cancelled: false });
  });

  it('sign out when nobody is signed in without complaint', async () => {
    const { handlers } = setup();
    const out = await handlers['auth.signOut']({}, context);
    assert.equal(out.revoked, false);
    assert.equal(out.status.state, 'signed-out');
  });
});
