/**
 * Deploying through the Infrastructure Manager from the GUI, against the
 * bed's real IM, with alice signed in: the Review page offers IM because the
 * site profile names it, shows the capability check (refusing JupyterHub's
 * RBAC, Deploy disabled; the analysis facility in its IM shape), deploys MinIO, and the Environment page
 * shows the infrastructure, IM's state, links and log; Delete removes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../support/testbed';
import { imWorld, type ImWorld } from '../integration/environments-im/support';
import { namespaceGone, podsIn } from '../integration/targets-im/support';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { EnvironmentPage } from './pages/environment-page';
import { ReviewPage } from './pages/review-page';
import { SignInPage } from './pages/sign-in-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { DeployPage } from './pages/deploy-page';

describe('deploy MinIO through IM from the GUI', () => {
  let world: ImWorld;
  let app: LaunchedApp;
  const name = `e2e-im-${Date.now().toString(36)}`;

  before(async () => {
    // alice's session is in the vault the preview restores (AFP_CONFIG_DIR).
    world = await imWorld();
    app = await launchApp({ profile: world.profileFile });
  });
  after(async () => {
    await app?.close();
    await world?.close();
  });

  async function review(template: string, envName?: string): Promise<ReviewPage> {
    await app.page.getByRole('navigation').getByRole('button', { name: 'Catalogue' }).click();
    await new CataloguePage(app.page)
      .card(template)
      .getByRole('button', { name: /Configure/ })
      .click();
    const configure = new ConfigurePage(app.page);
    await configure.reviewButton().waitFor();
    if (envName !== undefined) await app.page.locator('#env-name').fill(envName);
    await configure.waitValid();
    await configure.reviewButton().click();
    const page = new ReviewPage(app.page);
    await page.targetButton('kube').waitFor();
    return page;
  }

  it('offers the analysis facility through IM in its own shape, said in a paragraph; Deploy enabled', async () => {
    const page = await review('analysis-facility');
    assert.equal(await page.targetButton('dispatcher').count(), 1);
    await page.chooseTarget('im');
    await page.capabilityCheck().waitFor();
    assert.match(await page.capabilityCheck().innerText(), /Through IM there is no JupyterHub/);
    assert.match(await page.capabilityCheck().innerText(), /Infrastructure Manager can create everything in this plan/);
    await page.actingAs().waitFor();
    assert.equal(await page.deployButton().isDisabled(), false);
    await app.screenshot('review-im-analysis-facility');
  });

  it('shows the app’s own mark where the site’s logo cannot be decoded (this profile’s PNG is only a signature)', async () => {
    await app.page.locator('.brand svg.brand-mark').waitFor();
    assert.equal(await app.page.locator('.brand img').count(), 0, 'no broken image in the sidebar');
    assert.equal(await app.page.getByTestId('brand-site').innerText(), 'Test Bed Site');
  });

  it('refuses JupyterHub alone through IM with the reasons, Deploy disabled', async () => {
    const page = await review('jupyterhub');
    await page.chooseTarget('im');
    await page.capabilityCheck().waitFor();
    assert.match(await page.capabilityCheck().innerText(), /cannot create this environment as planned/);
    assert.equal(await page.actingAs().count(), 0, 'signing in would not help: not asked');
    await page.showRefused();
    assert.match(await page.capabilityCheck().innerText(), /Not possible/);
    assert.equal(await page.deployButton().isDisabled(), true);
    await app.screenshot('review-im-refused');
  });

  it('deploys MinIO through IM as alice and follows it to Ready', { timeout: 240_000 }, async () => {
    const page = await review('minio', name);
    await page.chooseTarget('im');
    await page.capabilityCheck().waitFor();
    assert.match(await page.capabilityCheck().innerText(), /Infrastructure Manager can create everything in this plan/);
    assert.match(
      await page.capabilityCheck().innerText(),
      /keeps these generated passwords in its database: minio-root\/password, minio-root\/user/,
      'Review says before deploy that IM keeps the generated passwords',
    );
    assert.match(await page.actingAs().innerText(), /Alice/);
    assert.equal(await page.deployButton().isDisabled(), false);
    await app.screenshot('review-im');
    await page.deployButton().click();
    await app.page.getByTestId('progress-log').waitFor();
    await app.page
      .getByTestId('progress-log')
      .getByText(/accepted the environment as infrastructure/)
      .waitFor({ timeout: 60_000 });
    await new DeployPage(app.page).until('Done', 180_000);
    await app.screenshot('deploy-im-progress');
    await app.page.getByRole('button', { name: 'Open the environment' }).click();
    const environment = new EnvironmentPage(app.page);
    await environment.imPanel().waitFor();
    await environment.waitStatus('Ready', 60_000);
    assert.match(await environment.infrastructureId().innerText(), /^[0-9a-f-]{36}$/);
    await app.page.getByTestId('im-configured').waitFor();
    await app.page.locator('.link-url').first().waitFor({ timeout: 30_000 });
    const log = await environment.showLogs();
    assert.ok((await log.innerText()).trim().length > 0);
    assert.ok((await podsIn(name)).some((pod) => pod.phase === 'Running'));
    await app.screenshot('environment-im');
  });

  it('lists it with its IM target and status', async () => {
    await app.page.getByRole('navigation').getByRole('button', { name: 'Environments' }).click();
    const card = app.page.locator(`[data-environment="${name}"]`);
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /IM http:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /Ready/);
    await app.screenshot('environments-im');
    await card.getByRole('button', { name: 'Open' }).click();
    await new EnvironmentPage(app.page).imPanel().waitFor();
  });

  it('deletes it: IM removes the pods', { timeout: 180_000 }, async () => {
    await new EnvironmentPage(app.page).delete();
    await new DeployPage(app.page).until('Done', 120_000);
    await waitUntil(`namespace ${name} to go`, () => namespaceGone(name), 60_000, 500);
    await app.screenshot('delete-im');
  });

  it('signed out: the Review page asks to sign in and Deploy stays disabled', async () => {
    const account = new SignInPage(app.page);
    await account.openAccount();
    await account.signOut().click();
    await account.accountSignIn().waitFor();
    const page = await review('minio');
    await page.chooseTarget('im');
    await page.signInNeeded().waitFor();
    assert.match(await page.signInNeeded().innerText(), /acts with your sign-in: sign in first/);
    assert.equal(await page.deployButton().isDisabled(), true);
    await app.screenshot('review-im-signed-out');
  });
});
