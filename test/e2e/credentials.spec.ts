/**
 * The Environment page's Credentials card: MinIO deployed from the GUI to the
 * test bed; its root keys are hidden until Reveal, then equal what kubectl
 * reads from the Secret; Copy puts the password on the clipboard; leaving the
 * page forgets them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectl, kubectlJson, testbedEnv } from '../support/testbed';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { EnvironmentPage } from './pages/environment-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { ReviewPage } from './pages/review-page';
import { DeployPage } from './pages/deploy-page';

const TITLE = 'MinIO console and API (root)';

describe('credentials revealed on the Environment page', () => {
  let app: LaunchedApp;
  const name = `e2e-creds-${Date.now().toString(36)}`;

  before(async () => {
    app = await launchApp();
    await app.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  });
  after(async () => {
    await app.close();
    await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
  });

  it('deploys MinIO, reveals and copies its root keys as the Secret holds them', async () => {
    const env = testbedEnv();
    await new CataloguePage(app.page)
      .card('minio')
      .getByRole('button', { name: /Configure/ })
      .click();
    const configure = new ConfigurePage(app.page);
    await app.page.locator('#env-name').waitFor();
    await app.page.locator('#env-name').fill(name);
    await configure.waitValid();
    await configure.reviewButton().click();
    await new ReviewPage(app.page).loadKubeconfig(env.adminKubeconfig);
    await app.page.getByTestId('kube-context').waitFor();
    await app.page.getByTestId('deploy').click();
    await new DeployPage(app.page).until('Done', 120_000);
    await app.page.getByRole('button', { name: 'Open the environment' }).click();

    const page = new EnvironmentPage(app.page);
    await page.credentialsPanel().waitFor();
    const secret = await kubectlJson<{ data: Record<string, string> }>(['get', 'secret', 'minio-root', '-n', name, '-o', 'json']);
    const decoded = (key: string): string => Buffer.from(secret.data[key] ?? '', 'base64').toString('utf8');
    const pageText = async (): Promise<string> => app.page.locator('body').innerText();

    assert.ok(!(await pageText()).includes(decoded('password')), 'hidden until asked');
    assert.match((await page.credentialValue(TITLE, 'secret').innerText()).trim(), /^•+$/);

    await page.revealCredentials();
    assert.equal((await page.credentialValue(TITLE, 'username').innerText()).trim(), decoded('user'));
    assert.equal((await page.credentialValue(TITLE, 'secret').innerText()).trim(), decoded('password'));
    await app.screenshot('environment-credentials');

    await page.copyCredential(TITLE, 'secret').click();
    await page.copyCredential(TITLE, 'secret').getByText('Copied').waitFor();
    assert.equal(await app.page.evaluate<string>('navigator.clipboard.readText()'), decoded('password'));

    await app.page.getByTestId('reveal-credentials').click();
    assert.ok(!(await pageText()).includes(decoded('password')), 'Hide masks them again');

    // Leaving the page forgets them: back on it, they are hidden until asked again.
    await app.page.getByRole('navigation').getByRole('button', { name: 'Environments' }).click();
    await app.page.locator(`[data-environment="${name}"]`).getByRole('button', { name: 'Open' }).click();
    await page.credentialsPanel().waitFor();
    assert.match((await page.credentialValue(TITLE, 'secret').innerText()).trim(), /^•+$/);
  });
});
