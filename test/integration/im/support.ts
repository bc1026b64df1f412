/**
 * What the IM and dispatcher tests share: the bed's IM (or one of their own
 * when the bed was started without it), signed-in users, and IM's REST calls.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testbedEnv, type TestbedEnv } from '../../support/testbed';
import { signIn } from '../../testbed/idp/sign-in';
import { imAuthorization, imLine, kubernetesLine } from '../../testbed/im/auth-header';
import { startIm, TOSCA_TYPES_PATH } from '../../testbed/im/start';

export interface ImUnderTest {
  url: string;
  env: TestbedEnv;
  caPem: string;
  close(): Promise<void>;
}

export async function imUnderTest(): Promise<ImUnderTest> {
  const env = testbedEnv();
  const caPem = await readFile(env.caPath, 'utf8');
  if (env.imUrl !== undefined) return { url: env.imUrl, env, caPem, close: () => Promise.resolve() };
  if (env.idp === undefined) throw new Error('the test bed runs without its IdP; IM needs it as OIDC issuer');
  const dir = await mkdtemp(join(tmpdir(), 'afp-im-test-'));
  const im = await startIm({ ca: { certPem: caPem, certPath: env.caPath }, dir, logDir: env.logDir, issuer: env.idp.issuer });
  return {
    url: im.url,
    env,
    caPem,
    close: async () => {
      await im.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function accessToken(env: TestbedEnv, caPem: string, username: string): Promise<string> {
  const idp = env.idp;
  const user = idp?.users.find((candidate) => candidate.username === username);
  if (idp === undefined || user === undefined) throw new Error(`the test bed has no IdP user ${username}`);
  return (await signIn({ issuer: idp.issuer, clientId: idp.clientId, caPem, user })).access_token;
}

/** IM's header for `token`'s user, with the bed's API server and its admin service-account token. */
export function imHeader(env: TestbedEnv, token: string): string {
  return imAuthorization([imLine(token), kubernetesLine(env.apiServerUrl, env.adminToken)]);
}

/** A minimal TOSCA document for IM's Kubernetes connector: one container, one ClusterIP port. */
export function minimalTosca(opts: { name: string; image?: string; cpus?: number; memory?: string; namespace?: string }): string {
  const cpus = (opts.cpus ?? 0.5).toFixed(1);
  return [
    'tosca_definitions_version: tosca_simple_yaml_1_0',
    'imports:',
    `  - afp_testbed_types: ${TOSCA_TYPES_PATH}`,
    ...(opts.namespace === undefined ? [] : ['metadata:', `  namespace: ${opts.namespace}`]),
    'topology_template:',
    '  node_templates:',
    `    ${opts.name}:`,
    '      type: tosca.nodes.Container.Application.Docker',
    '      requirements:',
    `        - host: ${opts.name}_runtime`,
    '      artifacts:',
    '        image:',
    `          file: ${opts.image ?? 'nginx:1.27'}`,
    '          type: tosca.artifacts.Deployment.Image.Container.Docker',
    `    ${opts.name}_runtime:`,
    '      type: tosca.nodes.Container.Runtime.Docker',
    '      capabilities:',
    '        host:',
    '          properties:',
    `            num_cpus: ${cpus}`,
    `            mem_size: ${opts.memory ?? '256 MB'}`,
    '            expose_ports:',
    '              - protocol: tcp',
    '                target: 80',
    '  outputs:',
    '    endpoint:',
    `      value: { get_attribute: [ ${opts.name}, endpoints, 0 ] }`,
    '',
  ].join('\n');
}

export interface ImAnswer {
  status: number;
  body: string;
  headers: Headers;
}

export async function imRequest(url: string, method: string, authorization: string | undefined, body?: string): Promise<ImAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'text/yaml';
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

export async function infrastructureState(
  imUrl: string,
  infId: string,
  authorization: string,
): Promise<{ state: string; vm_states: Record<string, string> } | undefined> {
  const answer = await imRequest(`${imUrl}/infrastructures/${infId}/state`, 'GET', authorization);
  if (answer.status !== 200) return undefined;
  return (JSON.parse(answer.body) as { state: { state: string; vm_states: Record<string, string> } }).state;
}
