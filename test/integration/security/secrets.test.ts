/**
 * A whole session through the app service (createApp, as the preview and the
 * Electron shell use it) against the test bed: sign in at the bed's IdP,
 * deploy MinIO (generated root password) to the bed's API server with the
 * session's token, track it, open its links, read its logs, provoke errors (a
 * broken kubeconfig, objects the user's RBAC forbids, an unknown context),
 * and ask for the owner's credentials (environments.credentials): that answer
 * alone holds the passwords, as the Secret has them. Then every log line, every answer and event the renderer saw, every file the
 * app wrote and the vault are searched for the tokens the IdP issued and the
 * passwords the cluster holds: none may appear (the vault holds ciphertext).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppEvent } from '../../../main/api';
import { createApp, type App } from '../../../main/app';
import { createAuthFetch, type FetchLike } from '../../../main/auth/fetch';
import { SafeStorageVault } from '../../../main/auth/safe-storage-vault';
import { createLogger } from '../../../main/log';
import { openConfStore } from '../../../main/store/conf-store';
import { kubectl, kubectlJson, testbedEnv } from '../../support/testbed';
import { signInWithForms } from '../../testbed/idp/form-sign-in';
import { safeStorage } from '../../unit/security/electron-fake/electron';
import { bedIdp } from '../auth/support';

const bed = bedIdp();
const env = testbedEnv();
const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-secrets-'));
const name = `sec-${randomBytes(3).toString('hex')}`;
const denied = `sec-rbac-${randomBytes(3).toString('hex')}`;

/** Everything that left the main process for the renderer, or was written, or logged. */
const seen: Record<string, string> = {};
let answers = 0;
const logLines: string[] = [];
const events: AppEvent[] = [];
/** The one answer that is meant to hold the passwords: environments.credentials, asked on purpose. */
let revealed = '';
/** What the IdP's token endpoint handed out. */
const issued = new Set<string>();

/** The real CA-aware fetch, keeping the tokens the IdP answers with so the test knows what to look for. */
function recordingFetch(): FetchLike {
  const inner = createAuthFetch({ caPem: bed.caPem });
  return async (input, init) => {
    const response = await inner(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (/\/token$/.test(new URL(url).pathname) && response.ok) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token', 'id_token']) if (typeof body[key] === 'string') issued.add(body[key]);
    }
    return response;
  };
}

let app: App;
let browserVisit: Promise<void> = Promise.resolve();
let vaultFile: string;
const kubeconfig = path.join(dir, 'kubeconfig');
const brokenKubeconfig = path.join(dir, 'broken-kubeconfig');

async function call(request: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const answer = (await app.dispatch(request, input, { via: 'test' })) as {
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  };
  if (request === 'environments.credentials') revealed = JSON.stringify(answer);
  else seen[`answer ${answers++} to ${request}`] = JSON.stringify(answer);
  return answer;
}

function waitForEvent(what: string, match: (event: AppEvent) => boolean, timeoutMs: number): Promise<AppEvent> {
  const found = events.find(match);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(
          `no ${what} within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-3))}; log: ${logLines.slice(-5).join(' | ')}`,
        ),
      );
    }, timeoutMs);
    const stop = app.events.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

async function operationDone(operationId: string, timeoutMs = 120_000): Promise<Extract<AppEvent, { type: 'operation.done' }>> {
  const event = await waitForEvent(`end of ${operationId}`, (e) => e.type === 'operation.done' && e.operationId === operationId, timeoutMs);
  return event as Extract<AppEvent, { type: 'operation.done' }>;
}

/** Every file under `root`, as text. */
function filesUnder(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && statSync(file).size < 5_000_000) out[`file ${path.relative(root, file)}`] = readFileSync(file, 'latin1');
  }
  return out;
}

describe('no token or generated password leaves the main process', { timeout: 300_000 }, () => {
  before(() => {
    process.env.AFP_CONFIG_DIR = path.join(dir, 'config');
    vaultFile = path.join(dir, 'config', 'token-vault.bin');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'bed', cluster: { server: env.apiServerUrl, 'certificate-authority': env.caPath } }],
        // `afp kube-token` as the exec plugin: the app serves the signed-in session's token in-process.
        users: [
          {
            name: 'me',
            user: {
              exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'afp', args: ['kube-token'], interactiveMode: 'Never' },
            },
          },
        ],
        contexts: [{ name: 'bed', context: { cluster: 'bed', user: 'me' } }],
        'current-context': 'bed',
      }),
    );
    writeFileSync(brokenKubeconfig, 'apiVersion: v1\nclusters: [ {name: x\n');
    const fetch = recordingFetch();
    app = createApp({
      host: {
        shell: 'browser-preview',
        // The system browser: the person signs in at the IdP's forms and the IdP sends the browser back to the app.
        // It returns at once, as a browser does; the app waits for the redirect only after opening the page.
        openExternal: (url) => {
          // Environment links (port-forwards) are opened too: only the IdP's page is a sign-in to play.
          if (!url.startsWith(bed.settings.issuer)) return Promise.resolve(true);
          browserVisit = (async () => {
            const result = await signInWithForms(url, bed.user('alice'), createAuthFetch({ caPem: bed.caPem }));
            if (result.redirect !== undefined) await createAuthFetch({ caPem: bed.caPem })(result.redirect);
          })();
          return Promise.resolve(true);
        },
        openStore: (store) => openConfStore(path.join(dir, 'config'), store),
      },
      auth: { settings: bed.settings, vault: new SafeStorageVault(safeStorage, vaultFile, 'linux'), fetch },
      log: createLogger((line) => logLines.push(line)),
    });
    app.events.subscribe((event) => {
      events.push(event);
    });
  });

  after(async () => {
    await call('environments.delete', { id: name }).catch(() => undefined);
    await app?.dispose();
    await kubectl(['delete', 'namespace', name, denied, '--ignore-not-found', '--wait=false']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, deploys with generated passwords, tracks, and meets errors', async () => {
    const signIn = await call('auth.signIn', { method: 'browser' });
    assert.equal(signIn.ok, true, JSON.stringify(signIn));
    await waitForEvent('signed-in status', (e) => e.type === 'auth.changed' && JSON.stringify(e.status).includes('alice'), 30_000);
    await browserVisit;
    assert.ok(issued.size >= 2, 'the IdP issued tokens to look for');

    const deploy = await call('environments.deploy', {
      plan: { template: 'minio', name, values: {} },
      target: { kind: 'kube', kubeconfig, context: 'bed' },
    });
    assert.equal(deploy.ok, true, JSON.stringify(deploy));
    const done = await operationDone((deploy.value as { operationId: string }).operationId);
    assert.equal(done.outcome, 'succeeded', JSON.stringify(done.error));

    await call('environments.list', {});
    let links: { id: string }[] = [];
    let lastDetail = '';
    // Tracking fills the page in within a few batches.
    for (const deadline = Date.now() + 15_000; links.length === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      const detail = await call('environments.get', { id: name });
      assert.equal(detail.ok, true);
      links = (detail.value as { live: { links: { id: string }[] } }).live.links;
      lastDetail = JSON.stringify(detail.value);
    }
    await call('environments.logs', { id: name });
    const credentials = await call('environments.credentials', { id: name });
    assert.equal(credentials.ok, true, JSON.stringify(credentials.error));
    if (process.env.AFP_SECRETS_DEBUG !== undefined) console.log(`links: ${lastDetail}\n${logLines.join('\n')}`);
    for (const link of links)
      await Promise.race([call('environments.openLink', { id: name, linkId: link.id }), new Promise((r) => setTimeout(r, 15_000))]);
    await call('auth.status', {});

    // Errors: a kubeconfig that does not parse, a context that does not exist, objects RBAC refuses alice (JupyterHub's ServiceAccount and Role).
    const broken = await call('environments.deploy', {
      plan: { template: 'minio', name: `${name}-x`, values: {} },
      target: { kind: 'kube', kubeconfig: brokenKubeconfig },
    });
    const noContext = await call('environments.deploy', {
      plan: { template: 'minio', name: `${name}-y`, values: {} },
      target: { kind: 'kube', kubeconfig, context: 'nowhere' },
    });
    await call('kube.contexts', { kubeconfig: brokenKubeconfig });
    const forbidden = await call('environments.deploy', {
      plan: { template: 'jupyterhub', name: denied, values: {} },
      target: { kind: 'kube', kubeconfig, context: 'bed' },
    });
    const failures = [broken, noContext];
    if (forbidden.ok) {
      const refused = await operationDone((forbidden.value as { operationId: string }).operationId);
      assert.equal(refused.outcome, 'failed');
      assert.equal(refused.error?.code, 'forbidden', JSON.stringify(refused.error));
    } else failures.push(forbidden);
    for (const failure of [broken, noContext]) {
      const started = failure.ok ? await operationDone((failure.value as { operationId: string }).operationId, 60_000) : undefined;
      assert.ok(!failure.ok || started?.outcome === 'failed', 'the broken deploys fail');
    }
    await call('environments.get', { id: denied });
    await call('environments.list', {});
  });

  it('finds the tokens and the generated passwords nowhere the renderer, the logs or the files reach', async () => {
    const secretList = await kubectlJson<{ items: { metadata: { name: string }; data?: Record<string, string> }[] }>([
      'get',
      'secrets',
      '-n',
      name,
      '-o',
      'json',
    ]);
    const passwords = secretList.items
      .flatMap((s) => Object.values(s.data ?? {}).map((b64) => Buffer.from(b64, 'base64').toString('utf8')))
      .filter((p) => p.length >= 12);
    assert.ok(passwords.length >= 1, 'the generated MinIO credentials are in the cluster');
    const encodedPasswords = secretList.items.flatMap((s) => Object.values(s.data ?? {})).filter((b64) => b64.length >= 16);

    const texts: Record<string, string> = {
      ...seen,
      events: JSON.stringify(events),
      log: logLines.join('\n'),
      ...filesUnder(dir),
    };
    assert.ok(
      Object.keys(texts).some((k) => k.includes('inventory')),
      'the inventory file was written and is searched',
    );
    assert.ok(logLines.length > 0, 'the app logged something to search');
    const vault = readFileSync(vaultFile, 'utf8');
    assert.match(vault, /^# .*token vault, encrypted/);
    // The search is for the real thing: the vault, decrypted, holds one of the tokens looked for.
    const record = await new SafeStorageVault(safeStorage, vaultFile, 'linux').load();
    assert.ok(record !== undefined && issued.has(record.refreshToken), 'the refresh token kept is one the search looks for');
    if (process.env.AFP_SECRETS_DEBUG !== undefined)
      console.log(
        Object.entries(texts)
          .map(([k, v]) => `${k}: ${v.slice(0, 300)}`)
          .join('\n'),
      );

    // What the owner asked to see is the Secret's MinIO root keys, read now: the only place the passwords may be.
    const root = secretList.items.find((s) => s.metadata.name === 'minio-root')?.data ?? {};
    const decoded = (key: string): string => Buffer.from(root[key] ?? '', 'base64').toString('utf8');
    const shown = (JSON.parse(revealed) as { value: { credentials: { username?: string; secret: string }[] } }).value.credentials;
    assert.deepEqual(
      shown.map((c) => [c.username, c.secret]),
      [[decoded('user'), decoded('password')]],
    );

    const secrets = [...issued, ...passwords, ...encodedPasswords];
    const leaks: string[] = [];
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(texts)) if (text.includes(secret)) leaks.push(`${where} holds ${secret.slice(0, 6)}…`);
    }
    assert.deepEqual(leaks, []);
    // The searches look where a leak would show: the user's name and the environment are in them.
    assert.ok(texts.events?.includes(name) && texts.events.includes('alice'));
  });
});
