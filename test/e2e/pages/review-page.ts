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
