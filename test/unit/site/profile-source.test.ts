import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AfpError, formatError } from '../../../main/errors';
import { resolveProfile, systemProfilePath, type ProfileSources } from '../../../main/site/profile-source';
import { profileText, tempFolder, type TempFolder } from './profile-fixture';

describe('where the active profile comes from', () => {
  let tmp: TempFolder;
  let files: Record<'cli' | 'settings' | 'env' | 'system', string>;
  before(async () => {
    tmp = await tempFolder();
    files = {
      cli: await tmp.write('cli.yaml', profileText('From CLI')),
      settings: await tmp.write('settings.yaml', profileText('From Settings')),
      env: await tmp.write('env.yaml', profileText('From env')),
      system: await tmp.write('system.yaml', profileText('From system')),
    };
  });
  after(async () => {
    await tmp.remove();
  });

  const all = (): ProfileSources => ({
    cli: files.cli,
    settings: files.settings,
    env: { AFP_PROFILE: files.env },
    systemPath: files.system,
  });

  it('takes --profile over Settings over AFP_PROFILE over the system-wide file', async () => {
    const cases: [ProfileSources, string, string][] = [
      [all(), 'cli', 'From CLI'],
      [{ ...all(), cli: undefined }, 'settings', 'From Settings'],
      [{ ...all(), cli: undefined, settings: undefined }, 'env', 'From env'],
      [{ ...all(), cli: undefined, settings: '', env: { AFP_PROFILE: '' } }, 'system', 'From system'],
    ];
    for (const [sources, source, name] of cases) {
      const active = await resolveProfile(sources);
      assert.equal(active?.source, source);
      assert.equal(active?.profile.site.name, name);
      assert.equal(active?.file, path.resolve(files[source as keyof typeof files]));
    }
  });

  it('has no profile when no source names one and the system-wide file is absent', async () => {
    assert.equal(await resolveProfile({ env: {}, systemPath: path.join(tmp.dir, 'absent.yaml') }), null);
  });

  it('never falls through past a source that names a missing file', async () => {
    const missing = path.join(tmp.dir, 'typo.yaml');
    await assert.rejects(resolveProfile({ ...all(), cli: undefined, settings: missing }), (error: unknown) => {
      assert.ok(error instanceof AfpError);
      assert.equal(error.code, 'not_found');
      assert.equal(error.file, missing);
      assert.match(error.message, /\[profile from Settings\]$/);
      return true;
    });
  });

  it('reports a broken chosen profile with file, line and field instead of using a lower one', async () => {
    const broken = await tmp.write('broken.yaml', profileText('Broken', 'links:\n  tls: { enabled: yes please }\n'));
    await assert.rejects(
      resolveProfile({ ...all(), cli: undefined, settings: undefined, env: { AFP_PROFILE: broken } }),
      (error: unknown) => {
        assert.ok(error instanceof AfpError);
        assert.equal(
          formatError(error),
          `${broken}:7: links.tls.enabled: expected boolean, got "yes please" [profile from the AFP_PROFILE environment variable]`,
        );
        return true;
      },
    );
  });

  it('resolves template folders, logo and kubeconfig against the profile file, not the working directory', async () => {
    await tmp.write('site/templates/README.md', 'site templates\n');
    await tmp.write('site/art/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const text = [
      'apiVersion: afp.dev/v1',
      'kind: SiteProfile',
      'site: { name: Relative, logo: art/logo.svg }',
      'templates: { folders: [templates, ./templates/../templates] }',
      'targets: { kube: { contexts: ["af-*"], kubeconfig: ../kube/config } }',
      '',
    ].join('\n');
    const file = await tmp.write('site/profile.yaml', text);
    const active = await resolveProfile({ cli: path.relative(process.cwd(), file) });
    const siteDir = path.join(tmp.dir, 'site');
    assert.equal(active?.profile.site.logo, path.join(siteDir, 'art/logo.svg'));
    assert.deepEqual(active?.profile.templates?.folders, [path.join(siteDir, 'templates'), path.join(siteDir, 'templates')]);
    assert.equal(active?.profile.targets?.kube?.kubeconfig, path.join(tmp.dir, 'kube/config'));
  });

  it('knows the system-wide location on each OS', () => {
    assert.equal(systemProfilePath('linux'), '/etc/af-provisioner/profile.yaml');
    assert.equal(systemProfilePath('darwin'), '/Library/Application Support/AF Provisioner/profile.yaml');
    assert.equal(systemProfilePath('win32', { ProgramData: 'D:\\ProgramData' }), 'D:\\ProgramData\\AF Provisioner\\profile.yaml');
    assert.equal(systemProfilePath('win32', {}), 'C:\\ProgramData\\AF Provisioner\\profile.yaml');
  });
});
