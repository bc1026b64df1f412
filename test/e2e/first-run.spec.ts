/**
 * A new physicist's first run, at 1280×800 and 1920×1080, with the Naples
 * site profile (IM, the dispatcher, contexts af-napoli and af-napoli-*, a logo
 * and a support page): no kubeconfig anywhere, then one chosen in the app
 * whose current context the site does not allow. No cluster is contacted:
 * the kubeconfigs point at a closed port and only their contexts are read.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { ReviewPage } from './pages/review-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { naplesProfileCopy } from './support/profiles';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

const kubeconfig = (current: string, contexts: string[]): string => `apiVersion: v1
kind: Config
current-context: ${current}
clusters: [{ name: lab, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: alice, user: { token: not-a-real-token } }]
contexts:
${contexts.map((name) => `- { name: ${name}, context: { cluster: lab, user: alice } }`).join('\n')}
`;

async function openReview(app: LaunchedApp, template: string): Promise<ReviewPage> {
  await new CataloguePage(app.page)
    .card(template)
    .getByRole('button', { name: /Configure/ })
    .click();
  const configure = new ConfigurePage(app.page);
  await configure.reviewButton().waitFor();
  await configure.waitValid();
  await configure.reviewButton().click();
  await app.page.locator('#review-title').waitFor();
  return new ReviewPage(app.page);
}

async function toCatalogue(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Catalogue' }).click();
  await new CataloguePage(page).waitLoaded();
}

/** Polls a condition in the page (the CSP forbids waitForFunction's string evaluation). */
async function until(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await page.evaluate(expression)) !== true) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}

const focusedHeading = (page: Page): Promise<string> =>
  page.evaluate<string>('document.activeElement && document.activeElement.tagName + ":" + document.activeElement.textContent');

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;

  describe(`first run at ${size}`, () => {
    let app: LaunchedApp;
    const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
    const home = mkdtempSync(path.join(os.tmpdir(), 'afp-e2e-home-'));
    const files = mkdtempSync(path.join(os.tmpdir(), 'afp-e2e-kubeconfigs-'));

    before(async () => {
      // A machine with no kubeconfig: no KUBECONFIG, an empty home (the preview runs in this process).
      process.env.HOME = home;
      delete process.env.KUBECONFIG;
      app = await launchApp({ profile: naplesProfileCopy(), viewport });
      await new CataloguePage(app.page).waitLoaded();
    });
    after(async () => {
      await app.close();
      if (saved.HOME === undefined) delete process.env.HOME;
      else process.env.HOME = saved.HOME;
      if (saved.KUBECONFIG !== undefined) process.env.KUBECONFIG = saved.KUBECONFIG;
    });

    it('the Catalogue says there is no kubeconfig, where it looked, and what to do', async () => {
      const missing = app.page.getByTestId('cluster-missing');
      await missing.waitFor();
      const text = await missing.innerText();
      assert.ok(text.includes(`No kubeconfig at ${path.join(home, '.kube', 'config')}, and KUBECONFIG is not set.`), text);
      assert.match(text, /Choose the kubeconfig file/);
      assert.match(text, /Infrastructure Manager, which needs no kubeconfig/, 'the site names IM: it is offered as a way');
      assert.match(text, /Export the manifests or the TOSCA/);
      assert.match(text, /cannot open a file dialog: type the path/, 'the preview says why it has a path field');
      // The site's brand where users look.
      assert.equal(await app.page.getByTestId('brand-site').innerText(), 'Analysis Facility Napoli');
      assert.equal(await app.page.locator('.brand img.brand-logo').count(), 1);
      assert.equal(await app.page.title(), 'Analysis Facility Napoli — AF Provisioner');
      await app.screenshot(`first-run-no-kubeconfig-catalogue-${size}`);
    });

    it('each card marks the targets that can take it, from the capability check', async () => {
      const catalogue = new CataloguePage(app.page);
      const mark = (template: string, target: string): Promise<string | null> =>
        catalogue.card(template).locator(`[data-target-mark="${target}"]`).getAttribute('data-ok');
      assert.equal(await mark('minio', 'kube'), 'true');
      assert.equal(await mark('minio', 'im'), 'true');
      assert.equal(await mark('minio', 'dispatcher'), 'true');
      assert.equal(await mark('analysis-facility', 'kube'), 'true');
      assert.equal(await mark('analysis-facility', 'im'), 'false');
    });

    it('Review opens at its top, focus on its heading, with Deploy disabled and one message saying why', async () => {
      const review = await openReview(app, 'minio');
      await until(app.page, 'document.activeElement !== null && document.activeElement.id === "review-title"');
      assert.equal(await focusedHeading(app.page), 'H1:Review');
      assert.equal(await app.page.evaluate('window.scrollY'), 0);
      assert.equal(await review.deployButton().isDisabled(), true);
      assert.equal(await app.page.getByTestId('cluster-missing').count(), 1);
      assert.equal(await app.page.locator('.notice-error').count(), 0, 'no red error for what is a first-run state');
      await app.screenshot(`first-run-no-kubeconfig-review-${size}`);
    });

    it("the YAML tab scrolls inside its box, and Export's Choose… says why the preview has no dialog", async () => {
      const review = new ReviewPage(app.page);
      await review.openTab(/YAML/);
      await review.code().waitFor();
      const widths = await app.page.evaluate<number[]>('[document.documentElement.scrollWidth, window.innerWidth]');
      assert.ok((widths[0] ?? 0) <= (widths[1] ?? 0), `page ${widths[0]} px wide in a ${widths[1]} px window`);
      await app.page.getByRole('button', { name: 'Choose…' }).click();
      assert.match(await app.page.getByTestId('export-no-dialog').innerText(), /cannot open a folder dialog/);
      await app.screenshot(`first-run-review-yaml-${size}`);
    });

    it('choosing IM for a template IM cannot take says in one line what to choose instead, the detail folded', async () => {
      await toCatalogue(app.page);
      const review = await openReview(app, 'analysis-facility');
      await review.chooseTarget('im');
      const advice = app.page.getByTestId('target-advice');
      await advice.waitFor();
      assert.match(
        await advice.innerText(),
        /^Infrastructure Manager cannot create this environment as planned \(\d+ parts .*\)\. Choose Kubernetes \(kubeconfig\) instead\.$/,
      );
      assert.equal(await app.page.locator('.capability-refused').first().isVisible(), false, 'the refused parts are folded');
      assert.equal(await review.deployButton().isDisabled(), true);
      await app.screenshot(`first-run-im-refused-${size}`);
      await app.page.getByText('Why not (details)').click();
      assert.equal(await app.page.locator('.capability-refused').first().isVisible(), true);
      // The hub's configuration has the longest lines of the built-ins: they scroll inside the code box.
      await review.openTab(/YAML/);
      await review.code().waitFor();
      const widths = await app.page.evaluate<number[]>('[document.documentElement.scrollWidth, window.innerWidth]');
      assert.ok((widths[0] ?? 0) <= (widths[1] ?? 0), `page ${widths[0]} px wide in a ${widths[1]} px window`);
    });

    it('a kubeconfig chosen in the app is remembered, and only the contexts the site allows are offered', async () => {
      await toCatalogue(app.page);
      const file = path.join(files, 'alice.kubeconfig');
      writeFileSync(file, kubeconfig('minikube', ['minikube', 'af-napoli', 'af-napoli-test']), { mode: 0o600 });
      await app.page.getByTestId('kubeconfig-path').fill(file);
      await app.page.getByRole('button', { name: 'Load' }).click();
      const using = app.page.getByTestId('cluster-using');
      await using.waitFor();
      assert.equal(await using.innerText(), `Deploys go to context af-napoli of ${file} (chosen in the app).`);
      assert.equal(
        await app.page.getByTestId('contexts-hidden').innerText(),
        '1 context is not offered: your site allows only af-napoli, af-napoli-*.',
      );
      await app.screenshot(`first-run-kubeconfig-chosen-${size}`);

      await app.page.reload();
      await app.page.getByTestId('cluster-using').waitFor();
      assert.match(await app.page.getByTestId('cluster-using').innerText(), /chosen in the app/, 'remembered across a reload');

      const review = await openReview(app, 'minio');
      const select = app.page.getByTestId('kube-context');
      await select.waitFor();
      assert.deepEqual(await select.locator('option').allInnerTexts(), ['af-napoli', 'af-napoli-test'], 'minikube is never offered');
      assert.equal(await select.inputValue(), 'af-napoli', 'the disallowed current context is not preselected');
      assert.equal(await review.deployButton().isDisabled(), false);
      await app.screenshot(`first-run-allowed-contexts-review-${size}`);
    });

    it('a kubeconfig with no context the site allows keeps Deploy disabled and says so', async () => {
      const file = path.join(files, 'other.kubeconfig');
      writeFileSync(file, kubeconfig('minikube', ['minikube', 'kind-dev']), { mode: 0o600 });
      await app.page.getByTestId('kubeconfig-change').click();
      await app.page.getByTestId('kubeconfig-path').fill(file);
      await app.page.getByRole('button', { name: 'Load' }).click();
      const unusable = app.page.getByTestId('cluster-unusable');
      await unusable.waitFor();
      assert.equal(
        await unusable.innerText(),
        `None of the contexts in ${file} is one your site allows (af-napoli, af-napoli-*). Choose another kubeconfig, or ask your site admin.`,
      );
      assert.equal(await new ReviewPage(app.page).deployButton().isDisabled(), true);
      await app.screenshot(`first-run-no-allowed-context-${size}`);
    });

    it("an error links the site's support page", async () => {
      const file = path.join(files, 'shared.kubeconfig');
      writeFileSync(file, kubeconfig('af-napoli', ['af-napoli']));
      chmodSync(file, 0o666);
      await app.page.getByTestId('kubeconfig-path').fill(file);
      await app.page.getByRole('button', { name: 'Load' }).click();
      const refused = app.page.locator('.kubeconfig-chooser .notice-error');
      await refused.waitFor();
      assert.match(await refused.innerText(), /other users can change it/);
      assert.equal(await refused.getByTestId('support-link').innerText(), 'Get help from Analysis Facility Napoli');
    });

    it('Settings links the site support page', async () => {
      await app.page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
      const link = app.page.getByTestId('support-link');
      await link.first().waitFor();
      await until(app.page, 'document.activeElement !== null && document.activeElement.tagName === "H1"');
      assert.equal(await focusedHeading(app.page), 'H1:Settings');

      await link.first().click();
      assert.ok(app.opened.includes('https://support.af-napoli.example.org/'), JSON.stringify(app.opened));
      await app.screenshot(`first-run-settings-support-${size}`);
    });
  });
}
