/** Bugs the fuzz suite found, kept as plain cases. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../../main/catalogue/template';
import { resolveValues } from '../../../main/catalogue/values';
import { parseProfile } from '../../../main/site/profile-parse';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../../main/app';
import { createLogger } from '../../../main/log';
import { testHost } from '../../support/host';
import { loadKubeconfig } from '../../../main/kube/kubeconfig';
import { DispatcherClient } from '../../../main/targets/dispatcher/dispatcher-client';
import { ImClient } from '../../../main/targets/im/im-client';
import { cleanMessage } from '../../../main/targets/im/im-errors';
import type { TokenSource } from '../../../main/targets/im/token-source';

const tokens: TokenSource = { accessToken: () => Promise.resolve('t'), withFreshToken: (call) => call('t') };
const once = { attempts: 1, backoff: { initialMs: 1, maxMs: 1 } };
const answering =
  (body: string, status = 200) =>
  () =>
    Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } }));

const template = parseTemplate(readFileSync(new URL('../../../templates/dask.yaml', import.meta.url), 'utf8'), 'dask.yaml', 'built-in');

describe('fuzz findings', () => {
  it('a site profile whose issuer is not a URL is refused at its line (it threw "Invalid URL")', async () => {
    const text =
      'apiVersion: afp.dev/v1\nkind: SiteProfile\nsite:\n  name: X\n  logo: data:image/png;base64,iVBORw0KGgo=\nauth:\n  issuer: "!L"\n  clientId: c\n';
    const load = await parseProfile(text, '/tmp/site.yaml', 'cli');
    assert.deepEqual(load, {
      ok: false,
      errors: [{ code: 'invalid_profile', message: 'must be an http(s) URL', file: '/tmp/site.yaml', field: 'auth.issuer', line: 7 }],
    });
  });

  it('a cpu value too large to count is a value error naming the parameter (it threw without file or field)', () => {
    assert.ok(template.ok);
    const result = resolveValues('dask', template.template.parameters, { workerCpu: 6e234 }, { file: 'v.yaml', lineOf: () => 3 });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.errors[0], {
      code: 'invalid_input',
      message: 'expected a cpu quantity such as 2, 1.5 or 500m, got 6e+234 (too large)',
      id: 'values.quantity.cpu',
      params: { got: '6e+234', why: { id: 'values.quantityWhy.tooLarge', text: ' (too large)' } },
      field: 'workerCpu',
      file: 'v.yaml',
      line: 3,
    });
  });

  it('an empty file, a dangling alias and two documents are told in words, at a line', () => {
    const errors = (text: string): unknown => {
      const result = parseTemplate(text, 't.yaml');
      return result.ok ? [] : result.errors;
    };
    assert.deepEqual(errors(''), [
      { code: 'invalid_template', message: 'the file is empty: expected a YAML mapping', file: 't.yaml', line: 1 },
    ]);
    assert.deepEqual(errors('a: 1\nb: *nowhere\n'), [
      {
        code: 'invalid_template',
        message: 'YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
        file: 't.yaml',
        line: 2,
      },
    ]);
    assert.deepEqual(errors('a: 1\n---\nb: 2\n'), [
      {
        code: 'invalid_template',
        message: 'YAML syntax: the file holds more than one YAML document (a second ---); keep one per file',
        file: 't.yaml',
        line: 2,
      },
    ]);
    assert.deepEqual(errors('- 1\n'), [{ code: 'invalid_template', message: 'expected a mapping, got a list', file: 't.yaml', line: 1 }]);
  });

  it('an IM answer of the wrong shape is told in words, not zod\'s "received undefined"', async () => {
    const im = new ImClient({ url: 'https://im.example:8800', tokens, retry: once, fetch: answering('{"message":"x"}') });
    await assert.rejects(im.create('x'), {
      code: 'unavailable',
      message: "IM's answer to the create is not what IM 2.0 sends: uri: required field is missing",
    });
  });

  it('a dispatcher success whose body is broken JSON is an unusable answer, not a network failure', async () => {
    const client = new DispatcherClient({
      dispatcher: {
        url: 'https://d.example/infrastructures',
        imInfrastructuresUrl: 'https://im.example/infrastructures',
        provider: { name: 'k', type: 'Kubernetes', endpoint: 'https://k' },
        statusVia: 'im',
      },
      tokens,
      retry: once,
      fetch: answering('{ not json'),
    });
    await assert.rejects(client.create('x'), {
      code: 'unavailable',
      message: 'The dispatcher answered success with a body that is neither JSON nor a URI: { not json',
    });
  });

  it('kubeconfigs: empty, without current-context, with a context naming no user are told in words', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-kc-regress-'));
    const file = path.join(dir, 'config');
    writeFileSync(file, '');
    assert.throws(() => loadKubeconfig({ file }), {
      code: 'invalid_kubeconfig',
      message: 'Not a kubeconfig: expected a YAML mapping with clusters, users and contexts.',
      line: 1,
    });
    writeFileSync(
      file,
      'apiVersion: v1\nclusters:\n- name: c\n  cluster: { server: https://k:6443 }\ncontexts:\n- name: x\n  context: { cluster: c }\n- name: y\n  context: { cluster: c, user: { a: 1 } }\n',
    );
    const loaded = loadKubeconfig({ file });
    assert.equal(loaded.currentContext, '');
    assert.throws(() => loaded.forContext(), {
      message: 'The kubeconfig sets no current-context: choose one of its contexts.',
      field: 'current-context',
    });
    assert.throws(() => loaded.forContext('x'), { message: 'Context "x" names no user.' });
    assert.throws(() => loaded.forContext('y'), { message: 'Context "y" names user {"a":1}, which is not defined.' });
  });

  it('a request missing a field is told in words, not zod\'s "expected string, received undefined"', async () => {
    const app = createApp({ host: testHost(), log: createLogger(() => undefined) });
    try {
      assert.deepEqual(await app.dispatch('environments.openLink', { linkId: 'hub' }, { via: 'test' }), {
        ok: false,
        error: { code: 'invalid_input', message: 'environments.openLink: required field is missing', field: 'id' },
      });
      assert.deepEqual(await app.dispatch('links.open', { url: 5 }, { via: 'test' }), {
        ok: false,
        error: { code: 'invalid_input', message: 'links.open: expected string, got 5', field: 'url' },
      });
    } finally {
      await app.dispose();
    }
  });

  it('an IM message with the traceback glued on its line keeps only the words before it', () => {
    assert.equal(
      cleanMessage('Error parsing TOSCA: Traceback (most recent call last):\n  File "x.py", line 3\nScannerError'),
      'Error parsing TOSCA:',
    );
  });
});
