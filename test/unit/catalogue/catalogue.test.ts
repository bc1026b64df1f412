import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { builtinTemplatesDir } from '../../../main/catalogue/builtin';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { formatError } from '../../../main/errors';
import { SMALL } from './fixtures';

describe('the catalogue', () => {
  it('lists the four built-in templates, each with small, medium and large presets', async () => {
    const catalogue = await loadCatalogue();
    assert.deepEqual(catalogue.errors, []);
    assert.deepEqual(
      catalogue.templates.map((t) => t.name),
      ['analysis-facility', 'dask', 'jupyterhub', 'minio'],
    );
    for (const template of catalogue.templates) {
      assert.equal(template.origin, 'built-in');
      assert.deepEqual(
        template.presets.map((p) => p.name),
        ['small', 'medium', 'large'],
        template.name,
      );
    }
  });

  it('has the parameters each built-in template promises', async () => {
    const catalogue = await loadCatalogue();
    const types = (name: string): Record<string, string> =>
      Object.fromEntries(Object.entries(catalogue.require(name).parameters).map(([k, p]) => [k, p.type]));
    const dask = { workers: 'integer', workerCpu: 'cpu', workerMemory: 'memory' };
    const hub = { userCpu: 'cpu', userMemory: 'memory', userStorage: 'storage' };
    const minio = { storage: 'storage' };
    for (const [name, expected] of [
      ['dask', dask],
      ['jupyterhub', hub],
      ['minio', minio],
      ['analysis-facility', { ...dask, ...hub, ...minio }],
    ] as const) {
      const actual = types(name);
      for (const [param, type] of Object.entries(expected)) assert.equal(actual[param], type, `${name}.${param}`);
    }
  });

  it('a later folder overrides a template of the same name; a broken file is reported and the rest still list', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-cat-'));
    await writeFile(path.join(dir, 'dask.yaml'), SMALL.replace('name: small', 'name: dask').replace('title: Small', 'title: Site Dask'));
    await writeFile(path.join(dir, 'broken.yaml'), SMALL.replace('    min: 0\n', '    minn: 0\n'));
    const catalogue = await loadCatalogue({ dirs: [builtinTemplatesDir(), dir] });
    const dask = catalogue.require('dask');
    assert.equal(dask.spec.metadata.title, 'Site Dask');
    assert.equal(dask.origin, 'site');
    assert.equal(catalogue.templates.length, 4);
    assert.deepEqual(catalogue.errors.map(formatError), [`${path.join(dir, 'broken.yaml')}:11: parameters.workers.minn: unknown field`]);
  });

  it('unknown template: a not_found error listing the known ones', async () => {
    const catalogue = await loadCatalogue();
    assert.throws(() => catalogue.require('jupyter'), {
      code: 'not_found',
      message: 'unknown template "jupyter" (known: analysis-facility, dask, jupyterhub, minio)',
    });
  });

  it('hides templates the site does not offer and applies its overrides', async () => {
    const catalogue = await loadCatalogue({ hidden: ['minio'], overrides: { dask: { defaults: { workers: 5 } } } });
    assert.equal(catalogue.get('minio'), undefined);
    assert.equal(catalogue.require('dask').parameters.workers?.default, 5);
  });
});
