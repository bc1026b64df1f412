/**
 * The app in Italian, as an Italian physicist meets it with the Naples site
 * profile: Configure (with several errors at their fields at once), Review
 * (IM's adaptations too), a Dask deploy to the test bed, its Environment page
 * and the Environments list at 1280×800 and 1920×1080. Every visible word must be Italian
 * or one of a few names (products, units, file formats).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { kubectl, testbedEnv } from '../support/testbed';
import { EnvironmentPage } from './pages/environment-page';
import { Frame } from './pages/frame';
import { ReviewPage } from './pages/review-page';
import { SettingsPage } from './pages/settings-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { naplesProfileCopy } from './support/profiles';
import { englishWords } from './support/english-words';
import { DeployPage } from './pages/deploy-page';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

/** The Naples profile with its own words (preset titles, the lock's reason) in Italian, as a site in Naples may write them. */
function italianNaplesProfile(): string {
  const file = naplesProfileCopy();
  const words: [string, string][] = [
    ['Small (tutorials)', 'Piccolo (esercitazioni)'],
    ['2 users, 2 Dask workers with 1 vCPU / 2 GiB', '2 utenti, 2 worker Dask da 1 vCPU / 2 GiB'],
    ['Medium (one analysis)', 'Medio (una analisi)'],
    ['3 users, 8 Dask workers with 2 vCPU / 4 GiB', '3 utenti, 8 worker Dask da 2 vCPU / 4 GiB'],
    ['Large (a full run on a quiet day)', 'Grande (un giro completo in un giorno tranquillo)'],
    ['6 users, 16 Dask workers with 3 vCPU / 6 GiB', '6 utenti, 16 worker Dask da 3 vCPU / 6 GiB'],
    [
      'Home areas are backed up nightly and the storage quota is 10 GiB per user; write to support to ask for more.',
      'Le cartelle personali hanno un backup ogni notte e la quota è di 10 GiB per utente; per averne di più scrivi al supporto.',
    ],
  ];
  // The test bed's context joins the contexts the site allows, and the site's sign-in goes (the bed runs no IdP here), so Deploy can reach it.
  let text = readFileSync(file, 'utf8')
    .replace('contexts: [af-napoli, "af-napoli-*"]', 'contexts: [af-napoli, "af-napoli-*", "afp-*"]')
    .replace(/\nauth:\n[\s\S]*?\n\n/, '\n');
  for (const [english, italian] of words) {
    assert.ok(text.includes(english), `the Naples profile still says ${english}`);
    text = text.replace(english, italian);
  }
  writeFileSync(file, text);
  return file;
}

/** The text a user sees, less what the page marks translate="no" (Kubernetes verbs, resource names, requests). */
async function visibleText(page: Page): Promise<string> {
  // A string, run in the page: the node test's types have no DOM.
  return page.evaluate<string>(`(() => {
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (parent === null || parent.closest('[translate="no"], script, style') !== null || !parent.checkVisibility()) continue;
      parts.push(node.textContent ?? '');
    }
    return parts.join(' ');
  })()`);
}

for (const viewport of VIEWPORTS) {
  describe(`in Italian at ${viewport.width}×${viewport.height}`, () => {
    let app: LaunchedApp;
    const size = `${viewport.width}x${viewport.height}`;
    const daskName = `dask-it-${viewport.width}-${Date.now().toString(36)}`;

    before(async () => {
      app = await launchApp({ profile: italianNaplesProfile(), viewport, locale: 'it-IT' });
    });
    after(async () => {
      await app.close();
      // The environment's namespace goes with the spec (its record stays in this run's own inventory).
      if (process.env.AFP_TESTBED_ENV !== undefined)
        await kubectl(['delete', 'namespace', daskName, '--ignore-not-found', '--wait=false']).catch(() => undefined);
    });

    it('configures the analysis facility in Italian', async () => {
      await new Frame(app.page).goTo('Settings');
      await new SettingsPage(app.page).chooseLanguage('it');
      await new Frame(app.page).goTo('Catalogo');
      await new CataloguePage(app.page)
        .card('analysis-facility')
        .getByRole('button', { name: /Configura/ })
        .click();
      const configure = new ConfigurePage(app.page);
      await configure.field('workers').waitFor();
      await app.page.getByTestId('capacity').locator('.node-card').first().waitFor();
      await app.screenshot(`it-configure-${size}`);
      assert.deepEqual(englishWords(await visibleText(app.page)), []);
    });

    it('shows every error at its field at once, in Italian', async () => {
      const configure = new ConfigurePage(app.page);
      await configure.set('workers', '500');
      await configure.set('workerMemory', '4 GB');
      await app.page.locator('#env-name').fill('Mio_Ambiente');
      await configure.errorOf('workerMemory').waitFor();
      await configure.errorOf('workers').waitFor();
      await app.page.locator('#env-name-error').waitFor();
      await app.screenshot(`it-configure-errors-${size}`);
      assert.deepEqual(englishWords(await visibleText(app.page)), []);
    });

    it('reviews the plan in Italian, on each target the site offers', async () => {
      const configure = new ConfigurePage(app.page);
      await app.page.locator('#env-name').fill(`analisi-${viewport.width}`);
      await configure.set('workers', '4');
      await configure.set('workerMemory', '4Gi');
      await configure.waitValid();
      await app.page.getByRole('button', { name: 'Rivedi', exact: true }).click();
      const review = new ReviewPage(app.page);
      await review.component('worker').waitFor();
      await app.screenshot(`it-review-${size}`);
      assert.deepEqual(englishWords(await visibleText(app.page)), []);
    });

    it('says in Italian what IM cannot create', async () => {
      const review = new ReviewPage(app.page);
      await review.chooseTarget('im');
      await review.capabilityCheck().waitFor();
      // The adaptations are folded: open them, so their reasons are read too.
      await review.capabilityCheck().locator('details summary').last().click();
      await app.screenshot(`it-review-im-${size}`);
      assert.deepEqual(englishWords(await visibleText(app.page)), []);
    });

    it(
      'deploys Dask in Italian to the test bed and follows it to Ready (simulated kwok nodes)',
      { skip: process.env.AFP_TESTBED_ENV === undefined },
      async () => {
        await new Frame(app.page).goTo('Catalogo');
        await new CataloguePage(app.page)
          .card('dask')
          .getByRole('button', { name: /Configura/ })
          .click();
        const configure = new ConfigurePage(app.page);
        await configure.field('workers').waitFor();
        await app.page.locator('#env-name').fill(daskName);
        await configure.set('workers', '2');
        await configure.waitValid();
        await app.page.getByRole('button', { name: 'Rivedi', exact: true }).click();
        const review = new ReviewPage(app.page);
        await review.chooseTarget('kube');
        await app.page.getByTestId('kubeconfig-path').fill(testbedEnv().adminKubeconfig);
        await app.page.getByRole('button', { name: 'Carica' }).click();
        await app.page.getByTestId('kube-context').waitFor();
        await review.deployButton().click();
        await app.page
          .getByTestId('progress-log')
          .waitFor()
          .catch(async (error: unknown) => {
            await app.screenshot(`it-deploy-refused-${size}`);
            throw error;
          });
        await new DeployPage(app.page).until('Fatto', 180_000);
        const log = await app.page.getByTestId('progress-log').innerText();
        // The lines the core said, in Italian: the apply, each wave, each object, the pods and the readiness at the end.
        assert.match(log, /Applico \d+ oggetti in \d+ ondate/);
        assert.match(log, /Ondata 1\/\d+: \d+\/\d+ applicati/);
        assert.match(log, /Pronto: entrambi i carichi di lavoro pronti\./);
        await app.screenshot(`it-deploy-${size}`);
        assert.deepEqual(englishWords(await visibleText(app.page)), []);
      },
    );

    it(
      'shows the environment in Italian, status included (simulated kwok nodes)',
      { skip: process.env.AFP_TESTBED_ENV === undefined },
      async () => {
        await app.page.getByRole('button', { name: "Apri l'ambiente" }).click();
        const page = new EnvironmentPage(app.page);
        await page.waitStatus('Ready');
        await app.page
          .getByTestId('status-message')
          .getByText(/pod pronti/)
          .waitFor();
        await app.screenshot(`it-environment-${size}`);
        assert.deepEqual(englishWords(await visibleText(app.page)), []);
        await new Frame(app.page).goTo('Ambienti');
        await app.page
          .locator(`[data-environment="${daskName}"] .status-message`)
          .getByText(/pod pronti/)
          .waitFor();
        await app.screenshot(`it-environments-${size}`);
        assert.deepEqual(englishWords(await visibleText(app.page)), []);
      },
    );
  });
}
