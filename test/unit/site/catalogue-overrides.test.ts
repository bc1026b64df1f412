import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import { catalogueInput, checkOverrides, enforceLocks, type OverridableTemplate } from '../../../main/site/catalogue-overrides';
import { loadProfileFile, type ActiveProfile } from '../../../main/site/profile-load';
import { profileText, tempFolder, type TempFolder } from './profile-fixture';

/** The parameters of the analysis-facility template as the catalogue describes them. */
const analysisFacility: OverridableTemplate = {
  name: 'analysis-facility',
  parameters: {
    workers: { type: 'integer', default: 3, min: 0, max: 50 },
    workerCpu: { type: 'cpu', default: '1', min: '100m', max: '16' },
    workerMemory: { type: 'memory', default: '2Gi', min: '256Mi', max: '64Gi' },
    userCpu: { type: 'cpu', default: '1', min: '100m', max: '8' },
    userMemory: { type: 'memory', default: '2Gi', min: '256Mi', max: '32Gi' },
    userStorage: { type: 'storage', default: '5Gi', min: '1Gi', max: '100Gi' },
    storage: { type: 'storage', default: '10Gi', min: '1Gi', max: '1Ti' },
    profile: { type: 'enum', default: 'cms', values: ['cms', 'atlas'] },
  },
};
const dask: OverridableTemplate = {
  name: 'dask',
  parameters: {
    workers: { type: 'integer', default: 3, min: 0, max: 50 },
    workerCpu: { type: 'cpu', default: '1', min: '100m', max: '16' },
    workerMemory: { type: 'memory', default: '2Gi', min: '256Mi', max: '64Gi' },
  },
};
const BUILT_INS = [analysisFacility, dask, { name: 'jupyterhub', parameters: {} }, { name: 'minio', parameters: {} }];

describe('site overrides of the catalogue', () => {
  let tmp: TempFolder;
  let naples: ActiveProfile;
  before(async () => {
    tmp = await tempFolder();
    const loaded = await loadProfileFile('docs/examples/naples-af.yaml', 'system');
    assert.ok(loaded.ok);
    naples = loaded.active;
  });
  after(async () => {
    await tmp.remove();
  });

  const load = async (name: string, templates: string): Promise<ActiveProfile> => {
    const file = await tmp.write(name, profileText('Test site', `templates:\n${templates}`));
    const loaded = await loadProfileFile(file, 'cli');
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    return loaded.active;
  };

  it('turns the Naples templates section into the catalogue input', () => {
    const input = catalogueInput(naples);
    assert.deepEqual(input.dirs, [path.resolve('docs/examples/naples-templates')]);
    assert.deepEqual(Object.keys(input.overrides).sort(), ['analysis-facility', 'dask']);
    assert.equal(input.overrides['analysis-facility']?.defaults?.workers, 8);
    assert.deepEqual(input.overrides['analysis-facility']?.locked?.userStorage?.value, '10Gi');
    assert.deepEqual(input.overrides['analysis-facility']?.presets?.map((p) => p.name), ['small', 'medium', 'large']);
    assert.deepEqual(input.overrides.dask?.ranges?.workerMemory, { max: '14Gi' });
    assert.deepEqual(catalogueInput(null), { dirs: [], overrides: {}, hidden: [] });
  });

  it('accepts the Naples overrides against the analysis-facility and dask parameters', () => {
    assert.deepEqual(checkOverrides(naples, BUILT_INS), []);
  });

  it('refuses a range that widens the template, naming file, line and field', async () => {
    const active = await load('widen.yaml', '  ranges:\n    dask:\n      workers: { min: 0, max: 80 }\n      workerMemory: { min: 128Mi }\n');
    const errors = checkOverrides(active, BUILT_INS).map(formatError);
    assert.deepEqual(errors, [
      `${active.file}:9: templates.ranges.dask.workers.max: 80 is above the template's maximum 50: a site may only narrow a range`,
      `${active.file}:10: templates.ranges.dask.workerMemory.min: 128Mi is below the template's minimum 256Mi: a site may only narrow a range`,
    ]);
  });

  it('compares quantity bounds by size, not by text', async () => {
    const active = await load('quantities.yaml', '  ranges:\n    dask:\n      workerCpu: { min: 500m, max: "8" }\n      workerMemory: { max: 65536Mi }\n');
    assert.deepEqual(checkOverrides(active, BUILT_INS), []);
    const wider = await load('quantities2.yaml', '  ranges:\n    dask:\n      workerMemory: { max: 65537Mi }\n');
    assert.equal(checkOverrides(wider, BUILT_INS)[0]?.field, 'templates.ranges.dask.workerMemory.max');
  });

  it('refuses a narrowed range that leaves out the default the template would use', async () => {
    const active = await load('default.yaml', '  ranges:\n    dask:\n      workers: { min: 5 }\n');
    const [error] = checkOverrides(active, BUILT_INS);
    assert.equal(error?.field, 'templates.ranges.dask.workers');
    assert.match(error?.message ?? '', /default does not fit: 3 is below the site's minimum 5; set templates.defaults.dask.workers/);
    const withDefault = await load('default2.yaml', '  defaults:\n    dask: { workers: 6 }\n  ranges:\n    dask:\n      workers: { min: 5 }\n');
    assert.deepEqual(checkOverrides(withDefault, BUILT_INS), []);
  });

  it('refuses locked values, defaults and presets that the parameter does not accept', async () => {
    const active = await load(
      'values.yaml',
      [
        '  defaults:',
        '    dask: { workers: 2.5 }',
        '  locked:',
        '    analysis-facility:',
        '      userStorage: { value: lots, reason: quota }',
        '      profile: { value: lhcb, reason: site experiment }',
        '  ranges:',
        '    analysis-facility:',
        '      workers: { max: 10 }',
        '  presets:',
        '    analysis-facility:',
        '      - { name: huge, values: { workers: 12 } }',
        '',
      ].join('\n'),
    );
    const errors = checkOverrides(active, BUILT_INS).map((e) => `${e.line}: ${e.field}: ${e.message}`);
    assert.deepEqual(errors, [
      '8: templates.defaults.dask.workers: expected an integer, got 2.5',
      '11: templates.locked.analysis-facility.userStorage.value: expected a storage quantity (e.g. 4Gi), got "lots"',
      '12: templates.locked.analysis-facility.profile.value: expected one of "cms", "atlas", got "lhcb"',
      "18: templates.presets.analysis-facility[0].values.workers: 12 is above the site's maximum 10",
    ]);
  });

  it('names unknown templates and parameters', async () => {
    const active = await load('unknown.yaml', '  defaults:\n    daks: { workers: 2 }\n    dask: { worker: 2 }\n  hidden: [minio, mino]\n');
    const errors = checkOverrides(active, BUILT_INS).map((e) => `${e.field}: ${e.message}`);
    assert.deepEqual(errors, [
      'templates.defaults.daks: no template named "daks" (known: analysis-facility, dask, jupyterhub, minio)',
      'templates.defaults.dask.worker: template "dask" has no parameter "worker" (it has: workers, workerCpu, workerMemory)',
      'templates.hidden[1]: no template named "mino" (known: analysis-facility, dask, jupyterhub, minio)',
    ]);
  });

  it('refuses a value that differs from a locked one, naming the profile and the reason', () => {
    const refused = enforceLocks('analysis-facility', { workers: 7, userStorage: '50Gi' }, naples);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.code, 'locked');
    assert.equal(refused[0]?.field, 'userStorage');
    assert.equal(
      formatError(refused[0]),
      'userStorage: cannot be changed: the site profile "Analysis Facility Napoli" (naples-af.yaml) locks it to 10Gi. ' +
        'Reason: Home areas are backed up nightly and the storage quota is 10 GiB per user; write to support to ask for more.',
    );
  });

  it('lets through the locked value itself, however it is written, and templates without locks', () => {
    assert.deepEqual(enforceLocks('analysis-facility', { userStorage: '10Gi' }, naples), []);
    assert.deepEqual(enforceLocks('analysis-facility', { userStorage: '10240Mi' }, naples, analysisFacility.parameters), []);
    assert.equal(enforceLocks('analysis-facility', { userStorage: '10240Mi' }, naples).length, 1, 'without the parameter types a different spelling is a different value');
    assert.deepEqual(enforceLocks('dask', { workers: 40 }, naples), []);
    assert.deepEqual(enforceLocks('analysis-facility', { userStorage: '50Gi' }, null), []);
  });

  it('treats a --set string like the number it stands for', async () => {
    const active = await load('set.yaml', '  locked:\n    dask:\n      workers: { value: 4, reason: fair share }\n');
    assert.deepEqual(enforceLocks('dask', { workers: '4' }, active, dask.parameters), []);
    assert.deepEqual(enforceLocks('dask', { workers: '4' }, active), []);
    assert.equal(enforceLocks('dask', { workers: '5' }, active, dask.parameters)[0]?.code, 'locked');
  });
});
