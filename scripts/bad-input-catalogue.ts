/**
 * docs/bad-input.md: bad inputs and the exact messages users get, produced by
 * running the real parsers on each input. `npm run bad-input` rewrites the
 * page; test/unit/fuzz/bad-input-doc.test.ts fails when it is out of date.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../main/app';
import { parseTemplate } from '../main/catalogue/template';
import { resolveValues } from '../main/catalogue/values';
import { formatError, isAfpError, toApiError, type ApiErrorShape } from '../main/errors';
import { createLogger } from '../main/log';
import { parseProfile } from '../main/site/profile-parse';
import { openConfStore } from '../main/store/conf-store';
import { DispatcherClient } from '../main/targets/dispatcher/dispatcher-client';
import { ImClient } from '../main/targets/im/im-client';
import { loadKubeconfig } from '../main/kube/kubeconfig';
import { problemsOf } from '../main/yaml/problems';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOC = path.join(ROOT, 'docs', 'bad-input.md');

interface Case {
  input: string;
  /** The messages, one per problem, as every surface prints them (formatError). */
  run: (dir: string) => Promise<ApiErrorShape[]>;
}

const TEMPLATE_HEAD = 'apiVersion: afp.dev/v1\nkind: Template\nmetadata: { name: lab, title: Lab, version: 1.0.0 }\n';
const COMPONENT = 'components:\n  web: { image: nginx:1.27, ports: [{ name: http, port: 80 }] }\n';
const PROFILE_HEAD = 'apiVersion: afp.dev/v1\nkind: SiteProfile\nsite: { name: Lab, logo: "data:image/png;base64,iVBORw0KGgo=" }\n';

function template(text: string): () => Promise<ApiErrorShape[]> {
  return () => {
    const result = parseTemplate(text, 'lab.yaml');
    return Promise.resolve(result.ok ? [] : result.errors);
  };
}

function profile(text: string): (dir: string) => Promise<ApiErrorShape[]> {
  return async (dir) => {
    const file = path.join(dir, 'site.yaml');
    writeFileSync(file, text);
    const result = await parseProfile(text, file, 'cli');
    return result.ok ? [] : result.errors;
  };
}

function values(input: Record<string, unknown>): () => Promise<ApiErrorShape[]> {
  return () => {
    const parsed = parseTemplate(readFileSync(path.join(ROOT, 'templates', 'dask.yaml'), 'utf8'), 'dask.yaml', 'built-in');
    if (!parsed.ok) throw new Error('dask.yaml does not load');
    const result = resolveValues('dask', parsed.template.parameters, input, { file: 'values.yaml', lineOf: () => 1 });
    return Promise.resolve(result.ok ? [] : result.errors);
  };
}

async function caught(work: () => unknown): Promise<ApiErrorShape[]> {
  try {
    await work();
    return [];
  } catch (error) {
    return isAfpError(error) ? problemsOf(error) : [toApiError(error)];
  }
}

function kubeconfig(text: string, context?: string): (dir: string) => Promise<ApiErrorShape[]> {
  return (dir) => {
    const file = path.join(dir, 'config');
    writeFileSync(file, text);
    return caught(() => loadKubeconfig({ file }).forContext(context));
  };
}

function request(name: string, input: unknown): (dir: string) => Promise<ApiErrorShape[]> {
  return async (dir) => {
    const app = createApp({
      host: { shell: 'browser-preview', openExternal: () => Promise.resolve(false), openStore: (store) => openConfStore(dir, store) },
      log: createLogger(() => undefined),
    });
    try {
      const answer = await app.dispatch(name, input, { via: 'test' });
      return answer.ok ? [] : [answer.error];
    } finally {
      await app.dispose();
    }
  };
}

const tokens = { accessToken: () => Promise.resolve('t'), withFreshToken: <T>(call: (token: string) => Promise<T>) => call('t') };
const once = { attempts: 1, backoff: { initialMs: 1, maxMs: 1 } };
const answering = (status: number, body: string) => () =>
  Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));

function im(status: number, body: string): () => Promise<ApiErrorShape[]> {
  return () =>
    caught(() => new ImClient({ url: 'http://im.example:8800', tokens, retry: once, fetch: answering(status, body) }).create('tosca'));
}

function dispatcher(status: number, body: string): () => Promise<ApiErrorShape[]> {
  const resolved = {
    url: 'https://dispatcher.example/infrastructures',
    imInfrastructuresUrl: 'https://im.example/infrastructures',
    provider: { name: 'k8s', type: 'Kubernetes', endpoint: 'https://k8s.example:6443' },
    statusVia: 'im' as const,
  };
  return () =>
    caught(() => new DispatcherClient({ dispatcher: resolved, tokens, retry: once, fetch: answering(status, body) }).create('tosca'));
}

export const SECTIONS: Record<string, Case[]> = {
  'Templates (`lab.yaml`)': [
    { input: '(an empty file)', run: template('') },
    { input: 'a list instead of a mapping: `- a`', run: template('- a\n') },
    { input: 'a tab for indentation', run: template('apiVersion: afp.dev/v1\nkind:\n\tTemplate\n') },
    { input: 'two documents in one file', run: template(`${TEMPLATE_HEAD}${COMPONENT}---\nkind: Template\n`) },
    { input: 'an alias with no anchor: `image: *img`', run: template(`${TEMPLATE_HEAD}components:\n  web: { image: *img }\n`) },
    {
      input: 'a misspelt field: `replicas` as `replica`',
      run: template(`${TEMPLATE_HEAD}components:\n  web: { image: nginx:1.27, replica: 2 }\n`),
    },
    { input: 'no components', run: template(TEMPLATE_HEAD) },
    {
      input: 'a parameter default above its maximum',
      run: template(
        `${TEMPLATE_HEAD}parameters:\n  workers: { type: integer, title: Workers, default: 40, min: 1, max: 20 }\n${COMPONENT}`,
      ),
    },
    {
      input: 'a memory parameter written `4 GB`',
      run: template(`${TEMPLATE_HEAD}parameters:\n  memory: { type: memory, title: Memory, default: 4 GB }\n${COMPONENT}`),
    },
    {
      input: 'a preset setting an unknown parameter',
      run: template(
        `${TEMPLATE_HEAD}parameters:\n  workers: { type: integer, title: Workers, default: 2 }\npresets:\n  - { name: small, title: Small, values: { worker: 1 } }\n${COMPONENT}`,
      ),
    },
  ],
  'Values (`values.yaml`, for the built-in `dask` template)': [
    { input: '`workers: many`', run: values({ workers: 'many' }) },
    { input: '`workers: -1`', run: values({ workers: -1 }) },
    { input: '`workerMemory: 4 GB`', run: values({ workerMemory: '4 GB' }) },
    { input: '`workerMemory: 512m` (thousandths of a byte)', run: values({ workerMemory: '512m' }) },
    { input: '`workerCpu: 6e234`', run: values({ workerCpu: 6e234 }) },
    { input: '`worker: 3` (a misspelt name)', run: values({ worker: 3 }) },
  ],
  'Site profiles (`site.yaml`)': [
    { input: '(an empty file)', run: profile('') },
    { input: 'an issuer that is not a URL', run: profile(`${PROFILE_HEAD}auth: { issuer: "!L", clientId: afp }\n`) },
    {
      input: 'an issuer over plain http to another host',
      run: profile(`${PROFILE_HEAD}auth: { issuer: "http://iam.example.org/", clientId: afp }\n`),
    },
    { input: 'a template folder that does not exist', run: profile(`${PROFILE_HEAD}templates: { folders: [no-such-folder] }\n`) },
    { input: 'an unknown top-level field', run: profile(`${PROFILE_HEAD}sites: {}\n`) },
  ],
  'Kubeconfigs (`config`)': [
    { input: '(an empty file)', run: kubeconfig('') },
    { input: 'a cluster without its server', run: kubeconfig('apiVersion: v1\nclusters:\n- name: c\n  cluster: {}\n') },
    {
      input: 'no current-context',
      run: kubeconfig(
        'apiVersion: v1\nclusters:\n- name: c\n  cluster: { server: "https://k:6443" }\ncontexts:\n- name: x\n  context: { cluster: c }\n',
      ),
    },
    {
      input: 'a context that names no user',
      run: kubeconfig(
        'apiVersion: v1\nclusters:\n- name: c\n  cluster: { server: "https://k:6443" }\ncontexts:\n- name: x\n  context: { cluster: c }\ncurrent-context: x\n',
      ),
    },
    {
      input: 'a context that is not in the file',
      run: kubeconfig('apiVersion: v1\nclusters:\n- name: c\n  cluster: { server: "https://k:6443" }\ncontexts: []\n', 'lab'),
    },
  ],
  'Requests to the app (IPC or the preview bridge)': [
    { input: '`environments.get {}`', run: request('environments.get', {}) },
    { input: '`links.open {"url": 5}`', run: request('links.open', { url: 5 }) },
    { input: '`links.open {"url": "file:///etc/passwd"}`', run: request('links.open', { url: 'file:///etc/passwd' }) },
    { input: '`settings.update {"colour": "red"}`', run: request('settings.update', { colour: 'red' }) },
    { input: '`kubernetes.deleteEverything {}`', run: request('kubernetes.deleteEverything', {}) },
  ],
  'Answers from IM': [
    { input: 'HTTP 200 with `{"message": "x"}` to a create', run: im(200, '{"message":"x"}') },
    { input: 'HTTP 502 with a proxy’s HTML page', run: im(502, '<html><body><h1>502 Bad Gateway</h1></body></html>') },
    {
      input: 'HTTP 400 with a TOSCA error and a Python traceback',
      run: im(
        400,
        JSON.stringify({
          message:
            'Error parsing TOSCA: Traceback (most recent call last):\n  File "x.py", line 3\nyaml.scanner.ScannerError: line 12, column 3',
          code: 400,
        }),
      ),
    },
  ],
  'Answers from the dispatcher': [
    { input: 'HTTP 200 with a body that is broken JSON', run: dispatcher(200, '{ not json') },
    { input: 'HTTP 200 naming no infrastructure', run: dispatcher(200, '{"uri": 5}') },
    {
      input: 'HTTP 422 with FastAPI’s validation detail',
      run: dispatcher(422, JSON.stringify({ detail: [{ loc: ['body', 'tosca_template'], msg: 'field required' }] })),
    },
  ],
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/** The page, generated. */
export async function renderCatalogue(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-bad-input-'));
  const previousConfig = process.env.AFP_CONFIG_DIR;
  process.env.AFP_CONFIG_DIR = dir;
  try {
    const lines = [
      '# Bad inputs and what users read',
      '',
      'Generated by `npm run bad-input` (scripts/bad-input-catalogue.ts) from the real parsers; `test/unit/fuzz/bad-input-doc.test.ts` fails when this page is out of date.',
      'The message column is exactly what the app, the preview and `afp` print: `file:line: field: message`. The fuzz suite (test/unit/fuzz) checks the same promises on random inputs: no crash, no hang, a message in words.',
      '',
    ];
    for (const [title, cases] of Object.entries(SECTIONS)) {
      lines.push(`## ${title}`, '', '| input | code | message |', '|---|---|---|');
      for (const c of cases) {
        const errors = await c.run(dir);
        const shown = errors.length === 0 ? ['(accepted)'] : errors.map((e) => formatError(e).split(dir).join('<dir>'));
        lines.push(`| ${cell(c.input)} | ${errors.map((e) => e.code).join(', ') || '—'} | ${cell(shown.join('\n'))} |`);
      }
      lines.push('');
    }
    return lines.join('\n');
  } finally {
    if (previousConfig === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previousConfig;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DOC, await renderCatalogue());
  console.log(`wrote ${path.relative(ROOT, DOC)}`);
}
