/**
 * TestbedEnv: what a running test bed tells its users (tests, the CLI, a
 * developer's shell), written as JSON to `.testbed/env.json` by `npm run
 * testbed -- up`, or to `<bedDir>/env.json` by startTestbed (scripts/test.ts
 * passes that path to the tests in AFP_TESTBED_ENV).
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { RealNodesRecord } from './node/leftovers';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_ENV_PATH = resolve(REPO_ROOT, '.testbed/env.json');
export const ENV_VARIABLE = 'AFP_TESTBED_ENV';

const proxyEnv = z.object({
  /** Where clients connect instead of the server itself. */
  url: z.string(),
  /** The control endpoint for this proxy (POST …/settings, …/cut, …). */
  control: z.string(),
  mode: z.enum(['tcp', 'http']),
  /** apiServer: an admin (client certificate) kubeconfig through the proxy; apiServerHttp: one with the admin token. */
  kubeconfig: z.string().optional(),
});

const user = z.object({ username: z.string(), password: z.string(), groups: z.array(z.string()) });

export const testbedEnvSchema = z.object({
  version: z.literal(1),
  /** The bed's temporary folder (certificates, kubeconfigs, etcd data). */
  dir: z.string(),
  apiServerUrl: z.string(),
  /** PEM of the CA every server certificate of the bed chains to. */
  caPath: z.string(),
  adminKubeconfig: z.string(),
  /** A cluster-admin service-account token (for servers that take a bearer token, like IM). */
  adminToken: z.string(),
  kubectl: z.string(),
  binDir: z.string(),
  /** One `<server>.log` per server; point failing tests here. */
  logDir: z.string(),
  idp: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      users: z.array(user),
      /** The client registered for hubs (a site profile's hubLogin.clientId / clientSecret). */
      hubClient: z.object({ id: z.string(), secret: z.string() }).optional(),
    })
    .optional(),
  imUrl: z.string().optional(),
  dispatcherUrl: z.string().optional(),
  proxies: z.object({
    control: z.string(),
    apiServer: proxyEnv.optional(),
    apiServerHttp: proxyEnv.optional(),
    idp: proxyEnv.optional(),
    im: proxyEnv.optional(),
  }),
  /** Real container nodes (test/testbed/node/), when the bed has them. */
  realNodes: z
    .object({
      names: z.array(z.string()),
      /** key=value every real node carries. */
      label: z.string(),
      /** Set when kwok nodes share the bed: pods must tolerate it to land on a real node. */
      taint: z.object({ key: z.string(), value: z.string().optional(), effect: z.string() }).optional(),
      /** The StorageClass that gives pods on real nodes real, writable storage. */
      storageClass: z.string(),
      /** An image every real node has: busybox (sh, httpd, wget, nslookup, nc). */
      busyboxImage: z.string(),
      /** Every image imported into the real nodes. */
      images: z.array(z.string()),
      /** The host's address on the nodes' network. */
      hostIp: z.string(),
      /** The registry mirror (host:port, plain http) every real node pulls quay.io, docker.io, ghcr.io, registry.k8s.io… from. */
      registry: z.string().optional(),
      clusterCidr: z.string(),
      /**
       * The IdP at an address pods reach (the same server, forwarded; its certificate names it). Discovery
       * fetched here lists its endpoints here; the tokens' `iss` stays `idp.issuer`.
       */
      idpUrl: z.string().optional(),
      /** What enforces NetworkPolicies on them (node/kube-router.ts), e.g. `kube-router v2.1.0`; absent: nothing does. */
      networkPolicy: z.string().optional(),
      /** What `down` checks is gone (node/leftovers.ts RealNodesRecord). */
      record: z.custom<RealNodesRecord>((value) => typeof value === 'object' && value !== null),
    })
    .optional(),
  /** The process that owns the bed (the CLI's supervisor, or the test runner). */
  ownerPid: z.number(),
  /** Every server process, each the leader of its own process group. */
  processes: z.array(z.object({ name: z.string(), pid: z.number() })),
  startedAt: z.string(),
  startMs: z.number(),
});

export type TestbedEnv = z.infer<typeof testbedEnvSchema>;
export type ProxyEnv = z.infer<typeof proxyEnv>;

export async function writeEnv(path: string, env: TestbedEnv): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/** Reads and checks an env file; the error says which file and field is wrong. */
export function readEnv(path: string): TestbedEnv {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(
      `${path}: the test bed is not up (no such file). Start it with \`npm run testbed -- up\`, or run the tests with \`npm test\`.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not JSON; restart the test bed with \`npm run testbed -- down && npm run testbed -- up\`.`);
  }
  const parsed = testbedEnvSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}; restart the test bed.`);
  }
  return parsed.data;
}
