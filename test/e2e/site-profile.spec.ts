import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { Frame } from './pages/frame';
import { launchApp, type LaunchedApp } from './support/launch';
import { naplesProfileCopy } from './support/profiles';

describe('a site profile preconfigures the app', () => {
  let app: LaunchedApp;
  const profile = naplesProfileCopy();
  const original = readFileSync(profile, 'utf8');

  before(async () => {
    app = await launchApp({ profile });
  });
  after(() => app.close());

  it('shows the active profile, where it comes from, and every locked setting in Settings', async () => {
    await new Frame(app.page).goTo('Settings');
    const section = app.page.getByTestId('profile-settings');
    await section.getByText('Analysis Facility Napoli', { exact: true }).waitFor();
    await section.getByText('Home folder size', { exact: true }).waitFor();
    const text = await section.innerText();
    assert.match(text, /AFP_PROFILE/);
    assert.match(text, /Analysis Facility\s+Home folder size/, 'named as the form names it');
    assert.doesNotMatch(text, /userStorage/);
    assert.match(text, /backed up nightly/);
    await app.screenshot('settings-profile');
  });

  it("uses the site's defaults and refuses to change a locked value, saying why", async () => {
    await new Frame(app.page).goTo('Catalogue');
    await new CataloguePage(app.page)
      .card('analysis-facility')
      .getByRole('button', { name: /Configure/ })
      .click();
    const configure = new ConfigurePage(app.page);
    await configure.field('workers').waitFor();
    assert.equal(await configure.field('workers').inputValue(), '8', 'site default');
    assert.equal(await configure.field('userStorage').isDisabled(), true, 'locked field');
    const lockNote = app.page.locator('.parameter:has([data-parameter="userStorage"]) .locked');
    assert.match(await lockNote.innerText(), /backed up nightly/);
    await app.screenshot('configure-locked');
  });

  it('keeps the last good profile when an edit breaks it, naming file, line and field, and takes the fixed file', async () => {
    writeFileSync(profile, original.replace('  name: Analysis Facility Napoli', '  name: Analysis Facility Napoli\n  colour: blue'));
    await new Frame(app.page).goTo('Settings');
    const section = app.page.getByTestId('profile-settings');
    const problem = section.locator('[role="alert"]').first();
    await problem.waitFor({ timeout: 10_000 });
    const text = await problem.innerText();
    assert.ok(text.includes(`${profile}:`), text);
    assert.match(text, /colour/);
    assert.match(await section.innerText(), /Analysis Facility Napoli/, 'last good profile kept');
    await app.screenshot('settings-profile-broken');
    writeFileSync(profile, original.replace('Analysis Facility Napoli', 'AF Napoli (edited)'));
    await section.getByText('AF Napoli (edited)', { exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(await section.locator('[role="alert"]').count(), 0);
  });
});
