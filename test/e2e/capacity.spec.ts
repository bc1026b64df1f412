import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { Frame } from './pages/frame';
import { SettingsPage } from './pages/settings-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { naplesProfileCopy } from './support/profiles';

async function openAnalysisFacility(app: LaunchedApp): Promise<ConfigurePage> {
  await new CataloguePage(app.page)
    .card('analysis-facility')
    .getByRole('button', { name: /Configur/ })
    .click();
  const configure = new ConfigurePage(app.page);
  await configure.field('workers').waitFor();
  return configure;
}

describe('Configure shows whether the environment fits, on the Naples shape', () => {
  let app: LaunchedApp;
  before(async () => {
    app = await launchApp({ profile: naplesProfileCopy() });
    await openAnalysisFacility(app);
  });
  after(() => app.close());

  it('places every pod of the default sizing on the declared nodes, users’ servers counted as afp fit counts them', async () => {
    const verdict = app.page.getByTestId('fit-verdict');
    await verdict.waitFor();
    const text = await verdict.innerText();
    assert.match(text, /^Fits: every pod has a node\./);
    // afp fit counts 15 for the same plan (test/unit/app/fit-counts.test.ts): 12 deployed + 3 users' servers.
    assert.match(text, /All 15 pods fit on the capacity declared by Analysis Facility Napoli\. This counts 3 users’ servers/);
    assert.match(await app.page.getByTestId('fit-totals').innerText(), /^This plan asks for [\d.]+ vCPU \/ [\d.]+ GiB in all \(15 pods\)/);
    assert.equal(await app.page.locator('.node-card').count(), 6);
    await app.screenshot('configure-capacity');
  });

  it('a suggestion is never the value already chosen, and one click uses it', async () => {
    const configure = new ConfigurePage(app.page);
    await configure.set('workerMemory', '14Gi');
    await configure.set('workers', '20');
    await app.page.getByText(/will not start/).waitFor();
    const largest = app.page.locator('[data-largest="workers"]');
    await largest.waitFor();
    const offered = Number(/use (\d+)/.exec(await largest.innerText())?.[1]);
    assert.ok(offered > 0 && offered < 20, `offered ${offered}`);
    await largest.click();
    await app.page.getByText(/^Fits: every pod has a node/).waitFor();
    assert.equal(Number(await configure.field('workers').inputValue()), offered);
    await app.page.getByTestId('fit-suggestions').or(app.page.getByTestId('fit-verdict')).first().waitFor();
    assert.equal(await app.page.locator('[data-largest="workers"]').count(), 0, 'the count now chosen is not offered again');
  });
});

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
]) {
  describe(`pods that would stay Pending, at ${viewport.width}×${viewport.height}`, () => {
    let app: LaunchedApp;
    before(async () => {
      app = await launchApp({ profile: naplesProfileCopy(), viewport });
      const configure = await openAnalysisFacility(app);
      // 20 workers of 7 CPU: CPU runs out long before memory.
      await configure.set('workerCpu', '7');
      await configure.set('workers', '20');
      await app.page.getByText(/will not start/).waitFor();
    });
    after(() => app.close());

    it('says first, in a plain sentence, which pods will not start and what runs out; the scheduler’s words are folded below', async () => {
      const verdict = app.page.getByTestId('fit-verdict');
      assert.match(await verdict.innerText(), /^\d+ worker pods will not start: not enough CPU on any node\.\n/);
      const words = app.page.locator('.scheduler-words').first();
      assert.equal(await words.getAttribute('open'), null, 'folded');
      assert.equal(await words.locator('code').isVisible(), false);
      await words.locator('summary').click();
      assert.match(await words.locator('code').innerText(), /^0\/6 nodes are available: .*Insufficient cpu/);
      await words.locator('summary').click();
    });

    it('draws each pending pod past the capacity line of the node it came closest to, and names it there', async () => {
      const pending = Number(/^(\d+) worker pods/.exec(await app.page.getByTestId('fit-verdict').innerText())?.[1]);
      const overflowing = app.page.locator('.node-card:has([data-overflow])');
      let drawn = 0;
      for (const badge of await app.page.locator('[data-overflow]').all()) drawn += Number(await badge.getAttribute('data-overflow'));
      assert.equal(drawn, pending, 'every pending pod is drawn on one node');
      // Equal nodes share the pending replicas instead of one node holding them all.
      assert.ok((await overflowing.count()) > 1);
      const first = overflowing.first();
      assert.ok((await first.locator('.bar-capacity').count()) > 0, 'the capacity line is drawn where the bar goes past it');
      assert.match(await first.locator('.overflow-pods').innerText(), /Would stay Pending, closest to fitting here: worker-\d+ \(CPU\)/);
    });

    it('names CPU as what runs out: memory alone cannot help, and no suggestion repeats a chosen value', async () => {
      const none = app.page.locator('[data-no-value="workerMemory"]');
      assert.match(await none.innerText(), /alone cannot make it fit: CPU runs out even at its smallest value/);
      const cpu = app.page.locator('[data-largest="workerCpu"]');
      const suggested = /use ([\d.]+)/.exec(await cpu.innerText())?.[1] ?? '';
      assert.match(suggested, /^\d+(\.5)?$/, 'whole or half CPUs');
      assert.notEqual(suggested, '7');
      await app.screenshot(`fit-pending-overflow-${viewport.width}x${viewport.height}`);
    });
  });
}

describe('the pending overflow in Italian, at 1280×800', () => {
  let app: LaunchedApp;
  before(async () => {
    app = await launchApp({ profile: naplesProfileCopy() });
    const frame = new Frame(app.page);
    await frame.goTo('Settings');
    await new SettingsPage(app.page).chooseLanguage('it');
    await frame.goTo('Catalogo');
    const configure = await openAnalysisFacility(app);
    await configure.set('workerCpu', '7');
    await configure.set('workers', '20');
    await app.page.getByText(/non partiranno/).waitFor();
  });
  after(() => app.close());

  it('says the verdict, what runs out and the suggestions in Italian', async () => {
    assert.match(
      await app.page.getByTestId('fit-verdict').innerText(),
      /^\d+ pod worker non partiranno: CPU insufficiente su ogni nodo\.\n/,
    );
    assert.match(
      await app.page.getByTestId('fit-totals').innerText(),
      /^Questo piano chiede [\d.]+ vCPU \/ [\d.]+ GiB in tutto \(27 pod\)/,
    );
    assert.match(
      await app.page.locator('[data-no-value="workerMemory"]').innerText(),
      /non basta: CPU si esaurisce anche al valore minimo/,
    );
    assert.match(
      await app.page.locator('.overflow-pods').first().innerText(),
      /^Resterebbero in attesa, più vicini a starci qui: worker-\d+ \(CPU\)/,
    );
    await app.screenshot('fit-pending-overflow-it-1280x800');
  });
});
