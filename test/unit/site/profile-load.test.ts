import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import { profileJsonSchemaText, PROFILE_JSON_SCHEMA_FILE } from '../../../main/site/profile-json-schema';
import { loadProfileFile, validateProfileFile, validateProfileText } from '../../../main/site/profile-load';
import { profileText, tempFolder, type TempFolder } from './profile-fixture';

const NAPLES = path.resolve('docs/examples/naples-af.yaml');

describe('site profile loading', () => {
  let tmp: TempFolder;
  before(async () => {
    tmp = await tempFolder();
  });
  after(async () => {
    await tmp.remove();
  });

  it('loads the Naples example with its capacity, lock and absolute paths', async () => {
    const result = await loadProfileFile(NAPLES, 'cli');
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    const { profile, lockedSettings, file } = result.active;
    assert.equal(file, NAPLES);
    assert.equal(profile.site.logo, path.resolve('docs/examples/naples-af-logo.svg'));
    assert.deepEqual(profile.templates?.folders, [path.resolve('docs/examples/naples-templates')]);
    const nodes = profile.capacity?.nodes ?? [];
    assert.deepEqual(
      nodes.map((n) => [n.count, String(n.cpu), String(n.memory)]),
      [
        [1, '32', '64Gi'],
        [5, '8', '16Gi'],
      ],
    );
    assert.equal(profile.targets?.im?.authMode, 'token');
    assert.equal(lockedSettings.length, 1);
    assert.equal(lockedSettings[0]?.template, 'analysis-facility');
    assert.equal(lockedSettings[0]?.param, 'userStorage');
    assert.match(lockedSettings[0]?.reason ?? '', /quota is 10 GiB/);
  });

  it('fills defaults an admin may leave out', async () => {
    const file = await tmp.write(
      'defaults.yaml',
      profileText(
        'Defaults',
        'auth:\n  issuer: https://iam.example.org/\n  clientId: afp\ntargets:\n  im:\n    url: https://im.example.org:8800\n',
      ),
    );
    const result = await loadProfileFile(file, 'cli');
    assert.ok(result.ok);
    assert.deepEqual(result.active.profile.auth?.scopes, ['openid', 'profile', 'email', 'offline_access']);
    assert.deepEqual(result.active.profile.auth?.requiredGroups, []);
    assert.equal(result.active.profile.targets?.im?.authMode, 'token');
  });

  it('reports a YAML syntax error with file and line', async () => {
    const file = await tmp.write('yaml-error.yaml', profileText('Broken', 'auth:\n  issuer: [https://iam.example.org\n  clientId: x\n'));
    const errors = await validateProfileFile(file);
    assert.equal(errors.length >= 1, true);
    assert.equal(errors[0]?.code, 'invalid_profile');
    assert.equal(errors[0]?.file, file);
    assert.equal(typeof errors[0]?.line, 'number');
    assert.match(formatError(errors[0]), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: YAML syntax: `));
  });

  it('rejects an unknown field, naming its line and path', async () => {
    const file = await tmp.write(
      'unknown.yaml',
      profileText('Typo', 'targets:\n  im:\n    url: https://im.example.org\n    authmode: bearer\n'),
    );
    const errors = await validateProfileFile(file);
    assert.deepEqual(errors, [{ code: 'invalid_profile', message: 'unknown field', file, field: 'targets.im.authmode', line: 9 }]);
    assert.equal(formatError(errors[0]!), `${file}:9: targets.im.authmode: unknown field`);
  });

  it('rejects a wrong type and a wrong choice, naming line and path', async () => {
    const extra =
      'capacity:\n  nodes:\n    - { name: w, count: five, cpu: "8", memory: 16Gi }\ntargets:\n  im: { url: https://im.example.org, authMode: vault }\n';
    const file = await tmp.write('types.yaml', profileText('Types', extra));
    const errors = await validateProfileFile(file);
    const byField = new Map(errors.map((e) => [e.field, e]));
    assert.equal(byField.get('capacity.nodes[0].count')?.line, 8);
    assert.equal(byField.get('capacity.nodes[0].count')?.message, 'expected number, got "five"');
    assert.equal(byField.get('targets.im.authMode')?.line, 10);
    assert.equal(byField.get('targets.im.authMode')?.message, 'expected "token" or "bearer", got "vault"');
  });

  it('requires a reason for every lock and flags a default that contradicts a lock', async () => {
    const extra = [
      'templates:',
      '  defaults:',
      '    dask: { workers: 4 }',
      '  locked:',
      '    dask:',
      '      workers: { value: 2, reason: " " }',
      '',
    ].join('\n');
    const file = await tmp.write('locks.yaml', profileText('Locks', extra));
    const errors = await validateProfileFile(file);
    const fields = errors.map((e) => `${e.line}:${e.field}:${e.message}`);
    assert.ok(
      fields.includes('11:templates.locked.dask.workers.reason:a locked setting needs the reason users will read'),
      fields.join('\n'),
    );
    const fixed = await tmp.write('locks2.yaml', profileText('Locks', extra.replace('reason: " "', 'reason: quota')));
    const errors2 = await validateProfileFile(fixed);
    assert.deepEqual(
      errors2.map((e) => [e.field, e.line, e.message]),
      [['templates.defaults.dask.workers', 8, 'is 4 but the parameter is locked to 2']],
    );
  });

  it('refuses a plain-http issuer except on loopback', async () => {
    const remote = await tmp.write('http.yaml', profileText('Http', 'auth: { issuer: "http://iam.example.org/", clientId: afp }\n'));
    const errors = await validateProfileFile(remote);
    assert.equal(errors[0]?.field, 'auth.issuer');
    assert.match(errors[0]?.message ?? '', /must use https/);
    const loopback = await tmp.write('loopback.yaml', profileText('Http', 'auth: { issuer: "http://127.0.0.1:9000/", clientId: afp }\n'));
    assert.deepEqual(await validateProfileFile(loopback), []);
  });

  it('names a missing template folder and logo file with their lines', async () => {
    const text =
      'apiVersion: afp.dev/v1\nkind: SiteProfile\nsite:\n  name: Paths\n  logo: logos/missing.png\ntemplates:\n  folders: [site-templates]\n';
    const file = await tmp.write('paths/profile.yaml', text);
    const errors = await validateProfileFile(file);
    assert.deepEqual(
      errors.map((e) => [e.field, e.line]),
      [
        ['site.logo', 5],
        ['templates.folders[0]', 7],
      ],
    );
    assert.match(errors[1]?.message ?? '', /template folder not found: .*paths\/site-templates$/);
  });

  it('says plainly when the file does not exist', async () => {
    const errors = await validateProfileFile(path.join(tmp.dir, 'nope.yaml'));
    assert.deepEqual(errors, [{ code: 'not_found', message: 'profile file not found', file: path.join(tmp.dir, 'nope.yaml') }]);
  });

  it('validates the Naples example with a one-line summary', async () => {
    const result = await validateProfileText(await readFile(NAPLES, 'utf8'), NAPLES);
    assert.deepEqual(result, {
      errors: [],
      summary: 'site profile Analysis Facility Napoli: 1 locked setting, 1 template folder, 6 declared nodes',
    });
  });

  it('reports broken templates in its folders when validating, without refusing the profile at run time', async () => {
    await tmp.write(
      'with-templates/site/broken.yaml',
      'apiVersion: afp.dev/v1\nkind: Template\nmetadata: { name: broken }\nparameters: [\n',
    );
    const file = await tmp.write('with-templates/profile.yaml', profileText('With templates', 'templates: { folders: [site] }\n'));
    const errors = await validateProfileFile(file);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'invalid_template');
    assert.equal(errors[0]?.file, path.join(tmp.dir, 'with-templates/site/broken.yaml'));
    assert.equal((await loadProfileFile(file, 'cli')).ok, true);
  });

  it('publishes a JSON Schema equal to the one generated from the zod schema', async () => {
    const committed = await readFile(PROFILE_JSON_SCHEMA_FILE, 'utf8');
    assert.equal(
      committed,
      profileJsonSchemaText(),
      'docs/site-profile.schema.json is stale: run npx tsx main/site/write-profile-json-schema.ts',
    );
    const schema = JSON.parse(committed) as { additionalProperties: boolean; required: string[] };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ['apiVersion', 'kind', 'site']);
  });
});
