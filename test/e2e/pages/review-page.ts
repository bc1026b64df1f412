import type { Locator, Page } from 'playwright';

export class ReviewPage {
  constructor(readonly page: Page) {}

  component(name: string): Locator {
    return this.page.locator(`.component-card[data-component="${name}"]`);
  }

  async chooseTarget(target: 'kube' | 'im' | 'dispatcher'): Promise<void> {
    await this.page.locator(`[data-target="${target}"]`).click();
  }

  targetButton(target: 'kube' | 'im' | 'dispatcher'): Locator {
    return this.page.locator(`[data-target="${target}"]`);
  }

  deployButton(): Locator {
    return this.page.getByTestId('deploy');
  }

  /** Whom IM acts as, or the request to sign in. */
  actingAs(): Locator {
    return this.page.getByTestId('acting-as');
  }

  signInNeeded(): Locator {
    return this.page.getByTestId('sign-in-needed');
  }

  /** The card listing every ServiceAccount, Role and RoleBinding with its rights. */
  rbac(): Locator {
    return this.page.getByTestId('review-rbac');
  }

  /** Chooses a kubeconfig by its path (the preview's field), opening the chooser first when a cluster is already in use. */
  async loadKubeconfig(file: string): Promise<void> {
    const change = this.page.getByTestId('kubeconfig-change');
    const field = this.page.getByTestId('kubeconfig-path');
    await Promise.race([change.waitFor(), field.waitFor()]);
    if (await change.isVisible()) await change.click();
    await field.fill(file);
    await this.page.getByRole('button', { name: 'Load' }).click();
  }

  /** Unfolds the parts a target cannot create (folded under the one-line advice). */
  async showRefused(): Promise<void> {
    const why = this.page.getByText('Why not (details)');
    if ((await why.count()) > 0 && (await this.page.locator('[data-testid="capability-refused"][open]').count()) === 0) await why.click();
  }

  capabilityCheck(): Locator {
    return this.page.getByTestId('capability-check');
  }

  async openTab(name: string | RegExp): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  code(): Locator {
    return this.page.locator('.code-viewer pre');
  }

  async exportTo(directory: string, format: 'kube' | 'tosca'): Promise<string> {
    await this.page.getByTestId('export-folder').fill(directory);
    await this.page.getByTestId('export-format').selectOption(format);
    await this.page.getByRole('button', { name: 'Export', exact: true }).click();
    const status = this.page.locator('.export-panel [role="status"]');
    await status.waitFor();
    return status.innerText();
  }
}
