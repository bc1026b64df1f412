import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { naplesProfileCopy } from './support/profiles';

describe('Configure shows whether the environment fits, on the Naples shape', () => {
  let app: LaunchedApp;
  before(async () => {
    app = await launchApp({ profile: naplesProfileCopy() });
    await new CataloguePage(app.page)
      .card('analysis-facility')
      .getByRole('button', { name: /Configure/ })
      .click();
    await new ConfigurePage(app.page).field('workers').waitFor();
  });
  after(() => app.close());

  it('places every pod of the default sizing on the declared nodes, node by node', async () => {
    const verdict = app.page.getByTestId('fit-verdict');
    await verdict.waitFor();
    assert.match(await verdict.innerText(), /All \d+ pods fit on the capacity declared by Analysis Facility Napoli/);
    assert.equal(await app.page.locator('.node-card').count(), 6);
    await app.screenshot('configure-capacity');
  });

  it("says in kube-scheduler's words why a too-large worker would stay Pending, and offers the largest that fits", async () => {
    const configure = new ConfigurePage(app.page);
    await configure.set('workerMemory', '14Gi');
    await configure.set('workers', '20');
    const verdict = app.page.getByTestId('fit-verdict');
    await app.page.getByText(/would stay Pending/).waitFor();
    assert.match(await verdict.innerText(), /would stay Pending/);
    const reasons = await app.page.locator('.pending-list').innerText();
    assert.match(reasons, /0\/6 nodes are available: .*Insufficient memory/);
    const largest = app.page.locator('[data-largest="workers"]');
    await largest.waitFor();
    await app.screenshot('configure-capacity-pending');
    await largest.click();
    await app.page.getByText(/All \d+ pods fit/).waitFor();
    assert.ok(Number(await configure.field('workers').inputValue()) < 20);
  });
});
