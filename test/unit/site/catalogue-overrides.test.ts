import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinTemplatesDir } from '../../../main/catalogue/builtin';
import { loadCatalogue } from '../../../main/catalogue/catalogue';
import { formatError, type ApiErrorShape } from '../../../main/errors';
import { catalogueInput, enforceLocks } from '../../../main/site/catalogue-overrides';
import { loadProfileFile, type ActiveProfile } from '../../../main/site/profile-load';
import { profileText, tempFolder, type TempFolder } from './profile-fixture';

describe('site overrides of the catalogue', () => {
  let tmp: TempFolder;
  let naples: ActiveProfile;
  before(async () => {
    tmp = await tempFolder();
    const loaded = await loadProfileFile('docs/examples/naples-af.yaml', 'system');
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    naples = loaded.active;
  });
  after(async () => {
    await tmp.remove();
  });

  /** Loads a profile with this `templates:` section; returns its problems (none when it loads). */
  const problems = async (name: string, templates: string): Promise<{ file: string; errors: ApiErrorShape[] }> => {
    const file = await tmp.write(`${name}/profile.yaml`, profileText('Test site', `templates:\n${templates}`));
    const loaded = await loadProfileFile(file, 'cli');
    return { file, errors: loaded.ok ? [] : loaded.errors };
  };

  it('gives the catalogue the built-ins, then the site folders, with the overrides', () => {
    const input = catalogueInput(naples);
    assert.deepEqual(input.dirs, [builtinTemplatesDir(), path.resolve('docs/examples/naples-templates')]);
    assert.deepEqual(Object.keys(input.overrides).sort(), ['analysis-facility', 'dask']);
    assert.equal(input.overrides['analysis-facility']?.defaults?.workers, 8);
    assert.deepEqual(input.overrides['analysis-facility']?.locked?.userStorage?.value, '10Gi');
    assert.deepEqual(
      input.overrides['analysis-facility']?.presets?.map((p) => p.name),
      ['small', 'medium', 'large'],
    );
    assert.deepEqual(input.overrides.dask?.ranges?.workerMemory, { max: '14Gi' });
    assert.deepEqual(catalogueInput(null), { dirs: [builtinTemplatesDir()], overrides: {}, hidden: [] });
  });

  it('offers the Naples analysis facility with the site defaults, ranges, lock and presets', async () => {
    const catalogue = await loadCatalogue(catalogueInput(naples));
    const af = catalogue.require('analysis-facility');
    assert.equal(af.parameters.workers?.default, 8);
    assert.equal(af.parameters.workers?.type === 'integer' && af.parameters.workers.max, 20);
    assert.deepEqual(af.parameters.userStorage?.locked, { value: '10Gi', reason: naples.lockedSettings[0]?.reason });
    assert.deepEqual(af.presets.find((p) => p.name === 'large')?.values.workers, 16);
  });

  it('refuses a range that widens the template, naming file, line and field', async () => {
    const { file, errors } = await problems(
      'widen',
      '  ranges:\n    dask:\n      workers: { min: 0, max: 80 }\n      workerMemory: { min: 128Mi }\n',
    );
    assert.deepEqual(errors.map(formatError), [
      `${file}:9: templates.ranges.dask.workers.max: 80 is above the template's maximum 64: a site may only narrow a range`,
      `${file}:10: templates.ranges.dask.workerMemory.min: 128Mi is below the template's minimum 512Mi: a site may only narrow a range`,
    ]);
  });

  it('compares quantity bounds by size, not by text', async () => {
    assert.deepEqual(
      (
        await problems(
          'same-size',
          '  ranges:\n    dask:\n      workerCpu: { min: 500m, max: "8" }\n      workerMemory: { max: 65536Mi }\n',
        )
      ).errors,
      [],
    );
    const wider = await problems('bigger', '  ranges:\n    dask:\n      workerMemory: { max: 65537Mi }\n');
    assert.equal(wider.errors[0]?.field, 'templates.ranges.dask.workerMemory.max');
  });

  it('refuses a narrowed range that leaves out the default the template would use', async () => {
    const { errors } = await problems('default', '  ranges:\n    dask:\n      workers: { min: 5 }\n');
    assert.equal(errors[0]?.field, 'templates.ranges.dask.workers');
    assert.match(
      errors[0]?.message ?? '',
      /default does not fit this range \(2 is below the minimum 5\); set templates.defaults.dask.workers as well/,
    );
    assert.deepEqual(
      (await problems('default-set', '  defaults:\n    dask: { workers: 6 }\n  ranges:\n    dask:\n      workers: { min: 5 }\n')).errors,
      [],
    );
  });

  it('refuses defaults, locked values and presets that the parameter does not accept', async () => {
    const { errors } = await problems(
      'values',
      [
        '  defaults:',
        '    dask: { workers: 2.5 }',
        '  locked:',
        '    analysis-facility:',
        '      userStorage: { value: lots, reason: quota }',
        '      userMemory: { value: 4 GB, reason: fair share }',
        '  ranges:',
        '    analysis-facility:',
        '      workers: { max: 10 }',
        '  presets:',
        '    analysis-facility:',
        '      - { name: huge, values: { workers: 12 } }',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      errors.map((e) => `${e.line}: ${e.field}`),
      [
        '8: templates.defaults.dask.workers',
        '11: templates.locked.analysis-facility.userStorage.value',
        '12: templates.locked.analysis-facility.userMemory.value',
        '18: templates.presets.analysis-facility[0].values.workers',
      ],
    );
    assert.match(errors[0]?.message ?? '', /expected integer, got 2\.5/);
    assert.match(errors[1]?.message ?? '', /expected a storage quantity/);
    assert.match(errors[3]?.message ?? '', /12 is above the maximum 10/);
  });

  it("refuses a lock that the template's own presets contradict, unless the site replaces them", async () => {
    const lock = '  locked:\n    dask:\n      workers: { value: 6, reason: fair share }\n';
    const { errors } = await problems('preset-clash', lock);
    assert.deepEqual(
      errors.map((e) => `${e.line}: ${e.field}: ${e.message}`),
      [
        '9: templates.locked.dask.workers: the template\'s preset "small" sets workers to 2, which this lock refuses: give a site preset named "small" under templates.presets.dask',
      ],
    );
    const replaced = `${lock}  presets:\n    dask:\n      - { name: small, values: { workerCpu: "1" } }\n      - { name: large, values: { workers: 6, workerCpu: "4" } }\n`;
    assert.deepEqual((await problems('preset-replaced', replaced)).errors, []);
  });

  it('names unknown templates and parameters', async () => {
    const { errors } = await problems(
      'unknown',
      '  defaults:\n    daks: { workers: 2 }\n    dask: { worker: 2 }\n  hidden: [minio, mino]\n',
    );
    assert.deepEqual(
      errors.map((e) => `${e.field}: ${e.message}`),
      [
        'templates.defaults.daks: no template named "daks" (known: analysis-facility, dask, jupyterhub, minio)',
        'templates.defaults.dask.worker: template "dask" has no parameter "worker" (it has: workers, workerCpu, workerMemory)',
        'templates.hidden[1]: no template named "mino" (known: analysis-facility, dask, jupyterhub, minio)',
      ],
    );
  });

  it('checks overrides against a site template that replaces a built-in', async () => {
    const builtin = await readFile(path.join(builtinTemplatesDir(), 'dask.yaml'), 'utf8');
    const siteDask = builtin
      .replace('title: Dask\n', 'title: Dask (Naples)\n')
      .replace('parameters:\n', 'parameters:\n  flavour:\n    type: enum\n    default: cms\n    values: [cms, atlas]\n')
      .replace('max: 64', 'max: 32');
    await tmp.write('site-override/templates/dask.yaml', siteDask);
    const { errors } = await problems(
      'site-override',
      '  folders: [templates]\n  ranges:\n    dask:\n      workers: { max: 48 }\n  locked:\n    dask:\n      flavour: { value: lhcb, reason: site experiment }\n',
    );
    assert.deepEqual(
      errors.map((e) => `${e.field}: ${e.message}`),
      [
        "templates.ranges.dask.workers.max: 48 is above the template's maximum 32: a site may only narrow a range",
        'templates.locked.dask.flavour.value: expected one of "cms", "atlas", got "lhcb"',
      ],
    );
  });

  it('refuses a value that differs from a locked one, naming the profile and the reason', () => {
    const refused = enforceLocks('analysis-facility', { workers: 7, userStorage: '50Gi' }, naples);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.code, 'locked');
    assert.equal(refused[0]?.field, 'userStorage');
    assert.equal(
      refused[0] && formatError(refused[0]),
      'userStorage: cannot be changed: the site profile "Analysis Facility Napoli" (naples-af.yaml) locks it to 10Gi. ' +
        'Reason: Home areas are backed up nightly and the storage quota is 10 GiB per user; write to support to ask for more.',
    );
  });

  it('lets through the locked value itself, however it is written, and templates without locks', async () => {
    const catalogue = await loadCatalogue({ dirs: [builtinTemplatesDir()] });
    const parameters = catalogue.require('analysis-facility').parameters;
    assert.deepEqual(enforceLocks('analysis-facility', { userStorage: '10Gi' }, naples), []);
    assert.deepEqual(enforceLocks('analysis-facility', { userStorage: '10240Mi' }, naples, parameters), []);
    assert.equal(
      enforceLocks('analysis-facility', { userStorage: '10240Mi' }, naples).length,
      1,
      'without the parameter types a different spelling is a different value',
    );
    assert.deepEqual(enforceLocks('dask', { workers: 40 }, naples), []);
    assert.deepEqual(enforceLocks('analysis-facility', { userStorage: '50Gi' }, null), []);
  });

  it('treats a --set string like the number it stands for', async () => {
    const file = await tmp.write(
      'set/profile.yaml',
      profileText(
        'Set',
        `templates:\n  presets:\n    dask: [${['small', 'medium', 'large'].map((n) => `{ name: ${n}, values: {} }`).join(', ')}]\n  locked:\n    dask:\n      workers: { value: 4, reason: fair share }\n`,
      ),
    );
    const loaded = await loadProfileFile(file, 'cli');
    assert.ok(loaded.ok);
    assert.deepEqual(enforceLocks('dask', { workers: '4' }, loaded.active), []);
    assert.equal(enforceLocks('dask', { workers: '5' }, loaded.active)[0]?.code, 'locked');
    assert.equal(enforceLocks('dask', { workers: '' }, loaded.active)[0]?.code, 'locked');
  });
});
