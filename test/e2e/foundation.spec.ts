import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { builtInTemplateDir } from '../../main/app';
import { CataloguePage } from './pages/catalogue-page';
import { Frame } from './pages/frame';
import { SettingsPage } from './pages/settings-page';
import { launchApp, type LaunchedApp } from './support/launch';

function builtInTemplateNames(): string[] {
  const dir = builtInTemplateDir();
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => parse(readFileSync(path.join(dir, f), 'utf8')) as { kind?: string; metadata?: { name?: string } })
    .filter((doc) => doc.kind === 'Template')
    .map((doc) => String(doc.metadata?.name));
}

describe('the app frame and the Catalogue', () => {
  let app: LaunchedApp;
  const siteDir = mkdtempSync(path.join(os.tmpdir(), 'afp-site-templates-'));
  const brokenFile = path.join(siteDir, 'broken.yaml');

  before(async () => {
    // Line 4 has a tab-indented key: a YAML error a site admin could make.
    writeFileSync(brokenFile, 'apiVersion: afp.dev/v1\nkind: Template\nmetadata:\n\tname: broken\n');
    app = await launchApp({ templateDirs: [siteDir] });
  });
  after(() => app.close());

  it('lists every built-in template file, read through the contract', async () => {
    const catalogue = new CataloguePage(app.page);
    await catalogue.waitLoaded();
    const names = builtInTemplateNames();
    assert.ok(names.length >= 1, 'templates/ holds template files');
    for (const name of names) {
      await catalogue.card(name).waitFor();
    }
    assert.equal(await catalogue.cards().count(), names.length);
    await app.screenshot('catalogue');
  });

  it('shows a broken template file as an error card naming the file and line, and still lists the others', async () => {
    const catalogue = new CataloguePage(app.page);
    const card = catalogue.errorCards().first();
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /could not be loaded/);
    assert.ok(text.includes(`${brokenFile}:4`), `names file and line: ${text}`);
    assert.ok((await catalogue.cards().count()) >= 1);
  });

  it('switches to Italian and back, and remembers the choice', async () => {
    const frame = new Frame(app.page);
    await frame.goTo('Settings');
    const settings = new SettingsPage(app.page);
    await settings.chooseLanguage('it');
    await frame.nav('Catalogo').waitFor();
    assert.equal(await frame.heading().innerText(), 'Impostazioni');
    await app.screenshot('settings-it');
    await app.page.reload();
    await frame.nav('Catalogo').waitFor();
    await frame.goTo('Impostazioni');
    await settings.chooseLanguage('en');
    await frame.nav('Catalogue').waitFor();
    assert.equal(await frame.heading().innerText(), 'Settings');
  });

  it('follows a dark theme choice', async () => {
    const settings = new SettingsPage(app.page);
    await settings.chooseTheme('Dark');
    await app.page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    const background = await app.page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(background, 'rgb(15, 20, 26)');
    await app.screenshot('settings-dark');
    await settings.chooseTheme('Follow the system');
  });

  it('is usable from the keyboard: Tab reaches the navigation and Enter follows it', async () => {
    const frame = new Frame(app.page);
    await frame.nav('Settings').focus();
    await app.page.keyboard.press('Shift+Tab');
    await app.page.keyboard.press('Shift+Tab');
    await app.page.keyboard.press('Enter');
    assert.equal(await frame.heading().innerText(), 'Catalogue');
  });

  it('reads well at 1920×1080', async () => {
    await app.page.setViewportSize({ width: 1920, height: 1080 });
    await new Frame(app.page).goTo('Catalogue');
    await new CataloguePage(app.page).waitLoaded();
    await app.screenshot('catalogue-1920');
    await app.page.setViewportSize({ width: 1280, height: 800 });
  });
});
