import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthState } from '../../../main/auth/session-types';
import { targetConnector } from '../../../main/targets/connect';
import { isAfpError } from '../../../main/errors';
import { siteProfileSchema } from '../../../main/site/profile-schema';

const PROFILE = siteProfileSchema.parse({
  apiVersion: 'afp.dev/v1',
  kind: 'SiteProfile',
  site: { name: 'Lab', logo: 'data:image/png;base64,AA==' },
  targets: {
    im: { url: 'http://127.0.0.1:9/im' },
    dispatcher: { url: 'http://127.0.0.1:9/dispatch', provider: { endpoint: 'https://127.0.0.1:6443' } },
  },
});

/** A session in a given state; its tokens are never asked for here. */
function session(state: AuthState): {
  status(): { state: AuthState };
  accessToken(): Promise<string>;
  withFreshToken<T>(call: (token: string) => Promise<T>): Promise<T>;
} {
  return { status: () => ({ state }), accessToken: () => Promise.resolve('token'), withFreshToken: (call) => call('token') };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(isAfpError(error));
    return `${error.code}: ${error.message}`;
  }
  assert.fail('expected a refusal');
}

describe('opening IM and dispatcher targets', () => {
  it('needs a signed-in session, and says how to get one', () => {
    assert.match(
      refusal(() => targetConnector({ profile: () => PROFILE })({ kind: 'im' })),
      /^unauthorized: Deploying through the Infrastructure Manager \(IM\) acts with your sign-in: sign in first/,
    );
    assert.match(
      refusal(() => targetConnector({ profile: () => PROFILE, session: session('signed-out') })({ kind: 'dispatcher' })),
      /^unauthorized: Not signed in: the site's dispatcher acts with your sign-in/,
    );
    assert.match(
      refusal(() => targetConnector({ profile: () => PROFILE, session: session('needs-login') })({ kind: 'im' })),
      /^unauthorized: Your sign-in has expired; sign in first .* to reach the Infrastructure Manager/,
    );
  });

  it('signed in: the target and the reference the inventory records', () => {
    const connect = targetConnector({ profile: () => PROFILE, session: session('signed-in') });
    const im = connect({ kind: 'im' });
    assert.equal(im.target.kind, 'im');
    assert.deepEqual(im.ref('lab'), { kind: 'im', imUrl: 'http://127.0.0.1:9/im' });
    assert.equal(typeof im.target.logs, 'function');
    const dispatcher = connect({ kind: 'dispatcher' });
    assert.deepEqual(dispatcher.ref('lab'), {
      kind: 'dispatcher',
      dispatcherUrl: 'http://127.0.0.1:9/dispatch',
      imUrl: 'http://127.0.0.1:9/im',
    });
    // A record made through an IM the profile no longer names is still reached there.
    assert.deepEqual(connect({ kind: 'im', imUrl: 'http://127.0.0.1:8/old', infrastructureId: 'x' }).ref(''), {
      kind: 'im',
      imUrl: 'http://127.0.0.1:8/old',
    });
  });
});
