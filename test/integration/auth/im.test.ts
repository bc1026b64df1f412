/**
 * The session's access token at the real Infrastructure Manager (the bed's,
 * or one started here against the bed's IdP): alice gets in, bob (no
 * af-users, IM's OIDC_GROUPS) is refused by IM as by our own check.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { AfpError } from '../../../main/errors';
import { testbedEnv } from '../../support/testbed';
import { startIm, type Im } from '../../testbed/im';
import { bedIdp, signedIn } from './support';

const env = testbedEnv();
const bed = bedIdp();
let imUrl: string;
let own: Im | undefined;
let dir: string | undefined;

before(async () => {
  if (env.imUrl !== undefined) {
    imUrl = env.imUrl;
    return;
  }
  dir = await mkdtemp(path.join(tmpdir(), 'afp-auth-im-'));
  own = await startIm({
    ca: { certPem: await readFile(env.caPath, 'utf8'), certPath: env.caPath },
    dir,
    logDir: dir,
    issuer: bed.settings.issuer,
  });
  imUrl = own.url;
});
after(async () => {
  await own?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** IM's own header (one credential per line; here only IM's). */
function listInfrastructures(token: string): Promise<Response> {
  return fetch(`${imUrl}/infrastructures`, {
    headers: { authorization: `id = im; type = InfrastructureManager; token = ${token}`, accept: 'application/json' },
  });
}

it('lets alice in with the session token, through withFreshToken as every IM call goes', { timeout: 180_000 }, async () => {
  const alice = await signedIn(bed.settings, bed.user('alice'), bed.caPem);
  try {
    const answer = await alice.session.withFreshToken(async (token) => {
      const response = await listInfrastructures(token);
      if (response.status === 401) throw Object.assign(new AfpError('unauthorized', `IM: ${await response.text()}`), { status: 401 });
      return response;
    });
    assert.equal(answer.status, 200, await answer.clone().text());
    const body = await answer.text();
    assert.ok(Array.isArray((JSON.parse(body) as { 'uri-list'?: unknown })['uri-list']), `IM lists the infrastructures: ${body}`);
  } finally {
    await alice.close();
  }
});

it('is refused for bob at IM too, and by our own check before any call', { timeout: 120_000 }, async () => {
  const bob = await signedIn(bed.settings, bed.user('bob'), bed.caPem);
  try {
    assert.throws(
      () => bob.session.requireGroups(['af-users'], 'deploying through IM'),
      /bob is not in the group "af-users", which deploying through IM needs/,
    );
    const refused = await listInfrastructures(await bob.session.accessToken());
    assert.ok([401, 403].includes(refused.status), `IM refuses bob: HTTP ${refused.status} ${await refused.text()}`);
  } finally {
    await bob.close();
  }
});
