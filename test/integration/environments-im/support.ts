/**
 * What the environments-through-IM tests share: a config folder of their own
 * (inventory and token vault) with alice signed in against the bed's IdP, and
 * a site profile naming the bed's IM and dispatcher.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bedIdp, signedIn } from '../auth/support';
import { bed, type Bed } from '../targets-im/support';

export interface ImWorld {
  bed: Bed;
  dir: string;
  configDir: string;
  profileFile: string;
  close(): Promise<void>;
}

export async function imWorld(): Promise<ImWorld> {
  const b = await bed();
  const dir = await mkdtemp(path.join(tmpdir(), 'afp-envim-'));
  const configDir = path.join(dir, 'config');
  await mkdir(configDir);
  process.env.AFP_CONFIG_DIR = configDir;
  delete process.env.AFP_PROFILE;
  const idp = bedIdp();
  // alice signs in once; the CLI and the app then restore her session from the vault in the config folder.
  const test = await signedIn(idp.settings, idp.user('alice'), idp.caPem, { vaultDir: configDir });
  test.session.dispose();
  const profileFile = path.join(dir, 'site.yaml');
  await writeFile(
    profileFile,
    [
      'apiVersion: afp.dev/v1',
      'kind: SiteProfile',
      'site: { name: Test Bed Site, logo: "data:image/png;base64,iVBORw0KGgo=" }',
      'targets:',
      '  im:',
      `    url: ${b.imUrl}`,
      '    authMode: token',
      `    kubernetesLine: { host: "${b.env.apiServerUrl}", tokenFrom: user }`,
      '  dispatcher:',
      `    url: ${b.dispatcherUrl}/api/v1/deployments`,
      `    imUrl: ${b.imUrl}`,
      `    provider: { name: k8s, type: Kubernetes, endpoint: "${b.env.apiServerUrl}" }`,
      '',
    ].join('\n'),
  );
  return { bed: b, dir, configDir, profileFile, close: () => rm(dir, { recursive: true, force: true }) };
}

export { afp, type AfpRun as Run } from '../../support/afp';
