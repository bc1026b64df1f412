/**
 * What the auth integration tests share: an IdP of their own (so token
 * lifetimes can change without touching the shared bed), a person at the
 * keyboard played by the IdP's forms (plain HTTP) or by Chromium, a fetch that
 * counts the provider requests, and a log that keeps every line for grepping.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createAuthFetch, type FetchLike } from '../../../main/auth/fetch';
import { FileVault } from '../../../main/auth/file-vault';
import { AuthSession, type AuthSessionOptions, type SignInHow } from '../../../main/auth/session';
import type { AuthSettings } from '../../../main/auth/settings';
import { createLogger, type Logger } from '../../../main/log';
import { createCa, type Ca } from '../../testbed/ca';
import { startIdp, type Idp } from '../../testbed/idp';
import { signInWithForms, type Credentials } from '../../testbed/idp/form-sign-in';
import { testbedEnv } from '../../support/testbed';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface OwnIdp {
  idp: Idp;
  ca: Ca;
  dir: string;
  settings: AuthSettings;
  caPem: string;
  user(name: string): Credentials;
  stop(): Promise<void>;
}

/** An IdP for this test file alone, on its own CA. */
export async function startOwnIdp(options: { accessTokenTtl?: number; refreshTokenTtl?: number } = {}): Promise<OwnIdp> {
  const dir = await mkdtemp(join(tmpdir(), 'afp-auth-idp-'));
  const ca = await createCa(join(dir, 'ca'));
  const idp = await startIdp({ ca, dir, logDir: dir, ...options });
  return {
    idp,
    ca,
    dir,
    caPem: ca.certPem,
    settings: { issuer: idp.issuer, clientId: idp.clientId, caFile: ca.certPath },
    user: (name) => {
      const found = idp.users.find((u) => u.username === name);
      assert.ok(found, `test user ${name}`);
      return found;
    },
    stop: async () => {
      await idp.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CountingFetch {
  fetch: FetchLike;
  /** Token-endpoint requests by grant type. */
  grants: string[];
  paths: string[];
}

/** The real CA-aware fetch, counting what goes to the provider. */
export function countingFetch(caPem: string): CountingFetch {
  const inner = createAuthFetch({ caPem });
  const counted: CountingFetch = {
    grants: [],
    paths: [],
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
      counted.paths.push(url.pathname);
      if (init?.body instanceof URLSearchParams) {
        const grant = init.body.get('grant_type');
        if (grant !== null) counted.grants.push(grant);
      }
      return inner(input, init);
    },
  };
  return counted;
}

export interface Recorder {
  log: Logger;
  lines: string[];
}

export function recordingLog(): Recorder {
  const lines: string[] = [];
  return { lines, log: createLogger((line) => lines.push(line)) };
}

export interface TestSession {
  session: AuthSession;
  vault: FileVault;
  dir: string;
  recorder: Recorder;
  close(): Promise<void>;
}

export async function newSession(
  options: { fetch?: FetchLike; keepFresh?: boolean; vaultDir?: string; expected?: AuthSessionOptions['expected'] } = {},
): Promise<TestSession> {
  const dir = options.vaultDir ?? (await mkdtemp(join(tmpdir(), 'afp-auth-vault-')));
  const vault = new FileVault(join(dir, 'token-vault'));
  const recorder = recordingLog();
  const session = new AuthSession({
    vault,
    log: recorder.log,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.keepFresh === undefined ? {} : { keepFresh: options.keepFresh }),
    ...(options.expected === undefined ? {} : { expected: options.expected }),
  });
  await session.ready;
  return {
    session,
    vault,
    dir,
    recorder,
    close: async () => {
      session.dispose();
      if (options.vaultDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The "system browser" played by plain HTTP: fills the IdP's login form and
 * follows the redirect to the app's loopback listener. `open` must return at
 * once (the app waits for the browser only after opening it).
 */
export function formsBrowser(user: Credentials, caPem: string): { how: SignInHow; done: () => Promise<string> } {
  const fetch = createAuthFetch({ caPem });
  let visit: Promise<string> = Promise.resolve('');
  return {
    how: {
      method: 'browser',
      open: (url) => {
        visit = (async () => {
          const result = await signInWithForms(url, user, fetch);
          assert.ok(result.redirect, `the IdP did not redirect back: ${result.pageText ?? ''}`);
          const page = await fetch(result.redirect);
          return page.text();
        })();
        return Promise.resolve(true);
      },
    },
    done: () => visit,
  };
}

/** The IdP's device pages completed by plain HTTP (the "second device"). */
export function formsDevice(user: Credentials, caPem: string): { how: SignInHow; done: () => Promise<string> } {
  const fetch = createAuthFetch({ caPem });
  let visit: Promise<string> = Promise.resolve('');
  return {
    how: {
      method: 'device',
      onPrompt: (prompt) => {
        visit = signInWithForms(prompt.verificationUriComplete ?? prompt.verificationUri, user, fetch).then(
          (result) => result.pageText ?? '',
        );
      },
    },
    done: () => visit,
  };
}

export async function signedIn(
  settings: AuthSettings,
  user: Credentials,
  caPem: string,
  options: Parameters<typeof newSession>[0] = {},
): Promise<TestSession> {
  const test = await newSession(options);
  const browser = formsBrowser(user, caPem);
  await test.session.signIn(settings, browser.how, AbortSignal.timeout(30_000));
  await browser.done();
  return test;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

/** The shared test bed's IdP, as the API server trusts it. */
export function bedIdp(): { settings: AuthSettings; caPem: string; user(name: string): Credentials } {
  const env = testbedEnv();
  assert.ok(env.idp, 'the test bed runs an IdP');
  const idp = env.idp;
  return {
    settings: { issuer: idp.issuer, clientId: idp.clientId, caFile: env.caPath },
    caPem: readFileSync(env.caPath, 'utf8'),
    user: (name) => {
      const found = idp.users.find((u) => u.username === name);
      assert.ok(found, `test user ${name}`);
      return found;
    },
  };
}

/** Asserts none of `secrets` occurs in any of `texts`; names where it was found. */
export function assertNoSecrets(secrets: readonly string[], texts: Record<string, string>): void {
  for (const secret of secrets) {
    assert.ok(secret.length >= 16, 'a real token to look for');
    for (const [where, text] of Object.entries(texts)) assert.ok(!text.includes(secret), `a token appears in ${where}`);
  }
}
