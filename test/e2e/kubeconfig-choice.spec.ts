/**
 * Choosing a kubeconfig on Review in the preview: a file whose users run a
 * program for their credentials shows the program first and is used only
 * once the user confirms; a file someone else could write is refused.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CataloguePage } from './pages/catalogue-page';
import { ConfigurePage } from './pages/configure-page';
import { launchApp, type LaunchedApp } from './support/launch';
import { ReviewPage } from './pages/review-page';

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: lab
clusters:
- name: lab
  cluster: { server: "https://127.0.0.1:1" }
users:
- name: lab
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: /usr/local/bin/kubelogin, args: [get-token], interactiveMode: Never }
contexts:
- name: lab
  context: { cluster: lab, user: lab }
`;

describe('choosing a kubeconfig on Review', () => {
  let app: LaunchedApp;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-e2e-kubeconfig-'));

  before(async () => {
    app = await launchApp();
    await new CataloguePage(app.page)
      .card('minio')
      .getByRole('button', { name: /Configure/ })
      .click();
    const configure = new ConfigurePage(app.page);
    await configure.reviewButton().waitFor();
    await configure.waitValid();
    await configure.reviewButton().click();
  });
  after(() => app.close());

  it('shows the programs an exec plugin runs and uses the file only once confirmed', async () => {
    const file = path.join(dir, 'lab.kubeconfig');
    writeFileSync(file, KUBECONFIG, { mode: 0o600 });
    await new ReviewPage(app.page).loadKubeconfig(file);
    const programs = app.page.getByTestId('kubeconfig-programs');
    await programs.waitFor();
    assert.match(await programs.innerText(), /\/usr\/local\/bin\/kubelogin/);
    assert.equal(await app.page.getByTestId('kube-context').count(), 0, 'no context is read before the user confirms');
    await app.screenshot('review-kubeconfig-programs');
    await programs.getByRole('button', { name: /use this kubeconfig/ }).click();
    await app.page.getByTestId('kube-context').waitFor();
    assert.match(await app.page.getByTestId('kube-target').innerText(), /Credentials come from the program \/usr\/local\/bin\/kubelogin/);
  });

  it('refuses a file other users can change', async () => {
    const file = path.join(dir, 'shared.kubeconfig');
    writeFileSync(file, KUBECONFIG);
    chmodSync(file, 0o666);
    await new ReviewPage(app.page).loadKubeconfig(file);
    await app.page.getByText(/other users can change it/).waitFor();
    await app.screenshot('review-kubeconfig-refused');
  });
});
