import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { ReviewPage } from './pages/review-page';
import { launchApp, type LaunchedApp } from './support/launch';

describe('Catalogue → Configure → Review → Export', () => {
  let app: LaunchedApp;
  before(async () => {
    // The Review page offers IM only where the site profile names one; nothing here contacts it.
    const profile = path.join(mkdtempSync(path.join(os.tmpdir(), 'afp-e2e-profile-')), 'site.yaml');
    writeFileSync(
      profile,
      'apiVersion: afp.dev/v1\nkind: SiteProfile\nsite: { name: e2e, logo: "data:image/png;base64,iVBORw0KGgo=" }\ntargets:\n  im: { url: "http://127.0.0.1:9/" }\n',
    );
    app = await launchApp({ profile });
  });
  after(() => app.close());

  it('opens the analysis facility form generated from its parameters, with presets', async () => {
    const catalogue = new CataloguePage(app.page);
    await catalogue
      .card('analysis-facility')
      .getByRole('button', { name: /Configure/ })
      .click();
    const configure = new ConfigurePage(app.page);
    await configure.field('workers').waitFor();
    for (const parameter of ['workers', 'workerCpu', 'workerMemory', 'userCpu', 'userMemory', 'userStorage', 'storage']) {
      assert.equal(await configure.field(parameter).count(), 1, `${parameter} has a field`);
    }
    await configure.preset('large').click();
    assert.equal(await configure.preset('large').getAttribute('aria-checked'), 'true');
    await configure.waitValid();
    await app.screenshot('configure');
  });

  it('explains a malformed quantity inline and blocks Review until it is fixed', async () => {
    const configure = new ConfigurePage(app.page);
    await configure.set('workerMemory', '4 GB');
    await configure.errorOf('workerMemory').waitFor();
    assert.match(await configure.errorOf('workerMemory').innerText(), /expected a memory quantity.*"4 GB"/);
    await app.page.locator('.actions .button-primary:disabled').waitFor({ timeout: 5000 });
    await app.screenshot('configure-error');
    await configure.set('workerMemory', '3Gi');
    await configure.set('workers', '7');
    await configure.waitValid();
  });

  it('reviews 7 Dask workers with the requested resources, grouped by component', async () => {
    await new ConfigurePage(app.page).reviewButton().click();
    const review = new ReviewPage(app.page);
    const workers = review.component('worker');
    await workers.waitFor();
    const text = await workers.innerText();
    assert.match(text, /× 7/);
    assert.match(text, /memory 3Gi/);
    // Every right the environment grants, in words: the hub's Role and whom it is bound to.
    const rbac = await review.rbac().innerText();
    assert.match(rbac, /Role hub[\s\S]*get, watch, list, create, delete on pods, persistentvolumeclaims/);
    assert.match(rbac, /Role hub → ServiceAccount hub/);
    await app.screenshot('review');
  });

  it('shows how the analysis facility differs through IM before deploying there', async () => {
    const review = new ReviewPage(app.page);
    await review.chooseTarget('im');
    const check = review.capabilityCheck();
    await check.waitFor();
    // No hub through IM (it cannot create KubeSpawner's Role): the template's own paragraph says what replaces it.
    assert.match(await check.innerText(), /Through IM there is no JupyterHub: .* a JupyterLab of your own/);
    assert.match(await check.innerText(), /Dask speaks mutual TLS/);
    await app.screenshot('review-im');
    await review.chooseTarget('kube');
  });

  it('shows the manifests and exports the same kubectl-ready YAML that afp export writes', async () => {
    const review = new ReviewPage(app.page);
    await review.openTab('Manifests (YAML)');
    const shown = await review.code().innerText();
    assert.match(shown, /kind: Namespace/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-export-'));
    const status = await review.exportTo(dir, 'kube');
    const file = path.join(dir, 'analysis-facility.yaml');
    assert.ok(status.includes(file), status);
    const written = readFileSync(file, 'utf8');
    const docs = parseAllDocuments(written).map(
      (d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: { replicas?: number } },
    );
    assert.equal(docs[0]?.kind, 'Namespace', 'objects in wave order');
    const worker = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'worker');
    assert.equal(worker?.spec?.replicas, 7);
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'main/cli.ts',
        'export',
        'analysis-facility',
        '--set',
        'workers=7',
        '--set',
        'workerMemory=3Gi',
        '--set',
        'userCpu=2',
        '--format',
        'kube',
        '-o',
        '-',
      ],
      { encoding: 'utf8' },
    );
    if (cli.status === 0) {
      const strip = (text: string): string => text.replace(/(data:\n(?:\s+.*\n)*?)/g, '').replace(/afp\.dev\/config-hash: .*/g, '');
      assert.equal(parseAllDocuments(cli.stdout).length, docs.length, 'the CLI exports the same objects');
      assert.ok(strip(cli.stdout).length > 0 && strip(written).length > 0);
    }
    await app.screenshot('review-yaml');
  });
});
