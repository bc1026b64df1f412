/**
 * Day two on the Environment page, on the test bed's kwok nodes (simulated
 * pods; drift is about objects and their managed fields): a workload scaled
 * with kubectl shows Drifted naming spec.replicas and kubectl, Restore brings
 * it back to Ready; Delete asks for the name and says what is lost. A deploy
 * that fails before anything is created (its namespace is someone else's)
 * shows "Deploy failed" with Retry and Back to Review, never "Open the
 * environment"; Forget drops a record without touching the cluster.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { afp } from '../support/afp';
import { kubectl, kubectlOk, testbedEnv } from '../support/testbed';
import { ReviewPage } from './pages/review-page';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { EnvironmentPage } from './pages/environment-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { DeployPage } from './pages/deploy-page';

describe('drift, Restore, Delete confirmation, a failed deploy, Forget (kwok nodes: simulated pods)', () => {
  let app: LaunchedApp;
  const name = `e2e-drift-${Date.now().toString(36)}`;
  const failing = `e2e-fail-${Date.now().toString(36)}`;
  const previous = process.env.AFP_CONFIG_DIR;

  before(async () => {
    app = await launchApp();
  });
  after(async () => {
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    await app.close();
    for (const ns of [name, failing]) await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
  });

  const openEnvironment = async (env: string): Promise<EnvironmentPage> => {
    await app.page.getByRole('navigation').getByRole('button', { name: 'Environments' }).click();
    const card = app.page.locator(`[data-environment="${env}"]`);
    await card.waitFor({ timeout: 15_000 });
    await card.getByRole('button', { name: 'Open' }).click();
    return new EnvironmentPage(app.page);
  };

  it('kubectl scale → Drifted naming spec.replicas and kubectl → Restore → Ready', { timeout: 180_000 }, async () => {
    // Deployed with afp into the app's own inventory (the app follows the file), to keep this spec on the day-two pages.
    process.env.AFP_CONFIG_DIR = app.configDir;
    const deployed = await afp([
      'deploy',
      'dask',
      '--set',
      'workers=1',
      '--kubeconfig',
      testbedEnv().adminKubeconfig,
      '--name',
      name,
      '--wait',
    ]);
    assert.equal(deployed.code, 0, deployed.stderr);
    const page = await openEnvironment(name);
    await page.waitStatus('Ready');

    await kubectlOk(['scale', 'deployment', 'worker', '-n', name, '--replicas', '3']);
    await page.waitStatus('Drifted', 30_000);
    const row = app.page.getByTestId('drift').locator('tr[data-field="spec.replicas"]');
    await row.waitFor();
    assert.deepEqual(await row.locator('td').allInnerTexts(), ['Deployment worker', 'spec.replicas', '1', '3', 'kubectl']);
    assert.match(await app.page.getByTestId('status-message').innerText(), /spec\.replicas is 3, expected 1 \(changed by kubectl\)/);
    await app.screenshot('drift-drifted');

    await app.page.getByTestId('restore').click();
    await new DeployPage(app.page).until('Done', 120_000);
    await app.page.getByRole('button', { name: 'Open the environment' }).click();
    await page.waitStatus('Ready', 30_000);
    assert.equal(await app.page.getByTestId('drift').count(), 0);
    assert.equal(await kubectlOk(['get', 'deployment', 'worker', '-n', name, '-o', 'jsonpath={.spec.replicas}']), '1');
    await app.screenshot('drift-restored');
  });

  it('Delete asks for the name and says what is lost', { timeout: 120_000 }, async () => {
    await app.page.getByTestId('delete').click();
    const panel = app.page.getByTestId('delete-panel');
    await panel.waitFor();
    assert.match(await app.page.getByTestId('losses').innerText(), new RegExp(`Namespace ${name} and everything in it`));
    assert.equal(await app.page.getByTestId('confirm-delete').isDisabled(), true, 'nothing happens before the name is typed');
    await app.page.locator('#confirm-name').fill(`${name}-typo`);
    assert.equal(await app.page.getByTestId('confirm-delete').isDisabled(), true);
    await app.page.locator('#confirm-name').fill(name);
    await app.screenshot('drift-delete-confirm');
    await app.page.getByTestId('confirm-delete').click();
    await new DeployPage(app.page).until('Done', 120_000);
    assert.equal(await app.page.locator('#deploy-title').textContent(), 'Deleted');
    assert.notEqual((await kubectl(['get', 'namespace', name])).code, 0);
  });

  it(
    'a deploy that fails before anything is created: Deploy failed, Retry and Back to Review, no environment to open',
    { timeout: 240_000 },
    async () => {
      await kubectlOk(['create', 'namespace', failing]);
      const deployFromCatalogue = async (): Promise<void> => {
        await new ReviewPage(app.page).loadKubeconfig(testbedEnv().adminKubeconfig);
        await app.page.getByTestId('kube-context').waitFor();
        await app.page.getByTestId('deploy').click();
      };
      await app.page.getByRole('navigation').getByRole('button', { name: 'Catalogue' }).click();
      await new CataloguePage(app.page)
        .card('dask')
        .getByRole('button', { name: /Configure/ })
        .click();
      const configure = new ConfigurePage(app.page);
      await configure.field('workers').waitFor();
      await app.page.locator('#env-name').fill(failing);
      await configure.set('workers', '1');
      await configure.waitValid();
      await configure.reviewButton().click();
      await deployFromCatalogue();
      await new DeployPage(app.page).until('Nothing was created', 60_000);
      assert.equal(await app.page.getByRole('button', { name: 'Open the environment' }).count(), 0);
      await app.page.getByTestId('back-to-review').waitFor();
      await app.screenshot('deploy-failed-operation');

      // Back to Review keeps the template, values and name; the namespace is still someone else's, so it fails again.
      await app.page.getByTestId('back-to-review').click();
      await app.page.getByTestId('deploy').waitFor();
      await deployFromCatalogue();
      await new DeployPage(app.page).until('Nothing was created', 60_000);

      const page = await openEnvironment(failing);
      await page.waitStatus('Failed', 30_000);
      assert.equal(await page.status().innerText(), 'Deploy failed');
      assert.match(
        await app.page.getByTestId('status-message').innerText(),
        new RegExp(`Deploy failed before anything was created: Namespace ${failing} already exists`),
      );
      await app.page.getByTestId('deploy-failed').waitFor();
      assert.match(await app.page.locator('.history-list time').first().innerText(), /now|seconds? ago|minute ago/);
      await app.screenshot('deploy-failed-environment');

      await kubectlOk(['delete', 'namespace', failing, '--wait=true', '--timeout=60s']);
      await app.page.getByTestId('retry').click();
      await new DeployPage(app.page).until('Done', 120_000);
      await app.page.getByRole('button', { name: 'Open the environment' }).click();
      await page.waitStatus('Ready', 60_000);
    },
  );

  it('Forget drops the record and touches no cluster', { timeout: 60_000 }, async () => {
    const page = new EnvironmentPage(app.page);
    await page.confirmRemoval();
    assert.match(await app.page.getByTestId('delete-panel').innerText(), /Forgetting touches no cluster/);
    await app.screenshot('forget-confirm');
    await app.page.getByTestId('confirm-forget').click();
    await app.page.locator('#environments-title').waitFor();
    await app.page.waitForTimeout(500);
    assert.equal(await app.page.locator(`[data-environment="${failing}"]`).count(), 0);
    assert.match(
      await kubectlOk(['get', 'namespace', failing, '-o', 'name']),
      new RegExp(`namespace/${failing}`),
      'the cluster still has it',
    );
  });
});
