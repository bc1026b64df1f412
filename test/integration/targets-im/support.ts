/**
 * What the IM and dispatcher target tests share: the bed's IM (through its
 * fault proxy), dispatcher and users, a TokenSource that plays a session's
 * tokens in order, and the grant that lets alice's token deploy through IM.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isUnauthorized } from '../../../main/auth/refusals';
import { operationRecord, newRecord } from '../../../main/environments/record-steps';
import { renderPlan } from '../../../main/render/plan';
import type { Plan } from '../../../main/render/types';
import type { TokenSource } from '../../../main/targets/im';
import type { EnvironmentRecord, TargetRef } from '../../../main/inventory/record';
import { controlRequest } from '../../testbed/cli-fault';
import type { HttpErrorRule } from '../../testbed/fault/proxy';
import { imUserRbac } from '../../testbed/kube/im-user-rbac';
import { kubectl, kubectlOk, testbedEnv, type TestbedEnv } from '../../support/testbed';
import { builtin } from '../../unit/catalogue/fixtures';
import { accessToken } from '../im/support';

export interface Bed {
  env: TestbedEnv;
  caPem: string;
  /** IM itself. */
  imUrl: string;
  /** IM behind the fault proxy. */
  imProxyUrl: string;
  dispatcherUrl: string;
  alice: string;
}

export async function bed(): Promise<Bed> {
  const env = testbedEnv();
  if (env.imUrl === undefined || env.dispatcherUrl === undefined || env.proxies.im === undefined) {
    throw new Error('these tests need the bed with IM, the dispatcher and the IM fault proxy (npm run testbed -- up, without --no-im)');
  }
  const caPem = await readFile(env.caPath, 'utf8');
  // Beds started before the grant was part of their bootstrap get it here (it is idempotent).
  await kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: imUserRbac() }) });
  return {
    env,
    caPem,
    imUrl: env.imUrl,
    imProxyUrl: env.proxies.im.url,
    dispatcherUrl: env.dispatcherUrl,
    alice: await accessToken(env, caPem, 'alice'),
  };
}

export function userToken(b: Bed, username: string): Promise<string> {
  return accessToken(b.env, b.caPem, username);
}

/** Plays tokens in order: the first until a call is refused as unauthorized, then the next, as a session renews. */
export class ScriptedTokens implements TokenSource {
  refreshes = 0;
  private index = 0;

  constructor(private readonly tokens: readonly string[]) {}

  accessToken(): Promise<string> {
    return Promise.resolve(this.tokens[Math.min(this.index, this.tokens.length - 1)] ?? '');
  }

  async withFreshToken<T>(call: (token: string) => Promise<T>, unauthorized: (error: unknown) => boolean = isUnauthorized): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!unauthorized(error)) throw error;
      this.refreshes += 1;
      this.index += 1;
      return call(await this.accessToken());
    }
  }
}

/** The same token with `exp` in the past: IM reads exp before anything else; the dispatcher checks the signature too. */
export function expiredCopy(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const past = Math.floor(Date.now() / 1000) - 120;
  return [header, Buffer.from(JSON.stringify({ ...claims, iat: past - 300, exp: past })).toString('base64url'), signature].join('.');
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export function minioPlan(name: string): Plan {
  return renderPlan({ template: builtin('minio'), environment: { name }, target: 'im' });
}

export function recordFor(plan: Plan, target: TargetRef): EnvironmentRecord {
  const at = new Date().toISOString();
  return newRecord({ id: plan.environment.id, plan, target, operation: operationRecord('op-1', 'deploy', at), at });
}

export async function podsIn(namespace: string): Promise<{ name: string; phase: string }[]> {
  const listed = await kubectl(['get', 'pods', '-n', namespace, '-o', 'json']);
  if (listed.code !== 0) return [];
  return (JSON.parse(listed.stdout) as { items: { metadata: { name: string }; status: { phase: string } }[] }).items.map((pod) => ({
    name: pod.metadata.name,
    phase: pod.status.phase,
  }));
}

export async function namespaceGone(namespace: string): Promise<boolean> {
  return (await kubectl(['get', 'namespace', namespace])).code !== 0;
}

export function imFaults(b: Bed): {
  add(rule: HttpErrorRule): Promise<void>;
  set(settings: Record<string, unknown>): Promise<void>;
  clear(): Promise<void>;
} {
  const base = '/proxies/im';
  return {
    add: async (rule) => {
      const current = (await controlRequest(b.env, 'GET', base)) as { settings: { httpErrors: HttpErrorRule[] } };
      await controlRequest(b.env, 'POST', `${base}/settings`, { httpErrors: [...current.settings.httpErrors, rule] });
    },
    set: async (settings) => {
      await controlRequest(b.env, 'POST', `${base}/settings`, settings);
    },
    clear: async () => {
      await controlRequest(b.env, 'POST', `${base}/clear`);
    },
  };
}
