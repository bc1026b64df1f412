import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlJson, testbedEnv } from '../support/testbed';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { EnvironmentPage } from './pages/environment-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { ReviewPage } from './pages/review-page';
import { DeployPage } from './pages/deploy-page';

describe('deploy Dask from the GUI to the test bed, watch it, resize it, delete it', () => {
  let app: LaunchedApp;
  const name = `e2e-dask-${Date.now().toString(36)}`;

  before(async () => {
    app = await launchApp();
  });
  after(() => app.close());

  it('deploys with the chosen kubeconfig and follows it to Ready', async () => {
    const env = testbedEnv();
    await new CataloguePage(app.page)
      .card('dask')
      .getByRole('button', { name: /Configure/ })
      .click();
    const configure = new ConfigurePage(app.page);
    await configure.field('workers').waitFor();
    await app.page.locator('#env-name').fill(name);
    await configure.set('workers', '3');
    await configure.waitValid();
    await configure.reviewButton().click();
    await new ReviewPage(app.page).loadKubeconfig(env.adminKubeconfig);
    await app.page.getByTestId('kube-context').waitFor();
    await app.screenshot('review-deploy');
    await app.page.getByTestId('deploy').click();
    await app.page.getByTestId('progress-log').waitFor();
    await new DeployPage(app.page).until('Done', 120_000);
    assert.equal(await app.page.locator('#deploy-title').textContent(), 'Deployed');
    await app.screenshot('deploy-progress');
    await app.page.getByRole('button', { name: 'Open the environment' }).click();
    const page = new EnvironmentPage(app.page);
    await page.waitStatus('Ready');
    assert.equal(await page.podRows().count(), 4, 'scheduler + 3 workers');
    await app.screenshot('environment');
  });

  it('lists the environment with its status and its link', async () => {
    await app.page.getByRole('navigation').getByRole('button', { name: 'Environments' }).click();
    const card = app.page.locator(`[data-environment="${name}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Ready/);
    const dashboard = card.getByRole('button', { name: 'Dask dashboard' });
    assert.equal(await dashboard.isEnabled(), true, 'the link is live once the scheduler is ready');
    const before = app.opened.length;
    await dashboard.click();
    for (let i = 0; i < 50 && app.opened.length === before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(app.opened.at(-1) ?? '', /^http:\/\/127\.0\.0\.1:\d+\//, 'opened in the system browser through a port-forward');
    await app.screenshot('environments');
    await card.getByRole('button', { name: 'Open' }).click();
  });

  it('resizes the workers and converges', async () => {
    const page = new EnvironmentPage(app.page);
    await page.resizeWorkers(5);
    assert.equal(await app.page.locator('#deploy-title').textContent(), 'Updating');
    await new DeployPage(app.page).until('Done', 120_000);
    assert.equal(await app.page.locator('#deploy-title').textContent(), 'Updated');
    await app.page.getByRole('button', { name: 'Open the environment' }).click();
    await page.waitStatus('Ready');
    for (let i = 0; i < 50 && (await page.podRows().count()) !== 6; i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await page.podRows().count(), 6);
  });

  it('changes the worker memory through Change settings, counting its own running pods as replaced', async () => {
    await app.page.getByTestId('change-settings').click();
    await app.page.locator('#configure-title', { hasText: `Change ${name}` }).waitFor();
    assert.notEqual(await app.page.locator('#env-name').getAttribute('readonly'), null, 'an environment keeps its name');
    const configure = new ConfigurePage(app.page);
    assert.equal(await configure.field('workers').inputValue(), '5', 'the form starts from the values it runs with');
    await configure.set('workerMemory', '3Gi');
    await configure.waitValid();
    // Without counting its 6 running pods as replaced, 5 more 1-CPU workers would be placed beside them.
    const verdict = app.page.getByTestId('fit-verdict');
    await verdict.getByText(/6 running pods make room/).waitFor({ timeout: 15_000 });
    assert.match(await verdict.innerText(), /All 6 pods fit on cluster "afp-testbed"/);
    await app.screenshot('configure-change');
    await configure.reviewButton().click();
    await app.page.getByTestId('update-box').waitFor();
    assert.match(await app.page.getByTestId('update-box').innerText(), new RegExp(`Update ${name}[\\s\\S]*afp-testbed`));
    await app.screenshot('review-update');
    await app.page.getByTestId('update').click();
    await new DeployPage(app.page).until('Done', 120_000);
    assert.equal(await app.page.locator('#deploy-title').textContent(), 'Updated');
    const worker = await kubectlJson<{
      spec: { replicas: number; template: { spec: { containers: { resources: { requests: Record<string, string> } }[] } } };
    }>(['get', 'deployment', 'worker', '-n', name, '-o', 'json']);
    assert.equal(worker.spec.template.spec.containers[0]?.resources.requests.memory, '3Gi');
    assert.equal(worker.spec.replicas, 5, 'what was not changed stays as it was');
    await app.page.getByRole('button', { name: 'Open the environment' }).click();
    await new EnvironmentPage(app.page).waitStatus('Ready');
  });

  it('deletes it and waits until the namespace is gone', async () => {
    await new EnvironmentPage(app.page).delete();
    await new DeployPage(app.page).until('Done', 180_000);
    assert.equal(await app.page.locator('#deploy-title').textContent(), 'Deleted');
    await app.page.getByRole('button', { name: 'Environments' }).last().click();
    await app.page.locator(`[data-environment="${name}"]`).waitFor({ state: 'detached', timeout: 10_000 });
  });
});
