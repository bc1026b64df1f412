import type { Locator, Page } from 'playwright';

export class EnvironmentPage {
  constructor(readonly page: Page) {}

  status(): Locator {
    return this.page.locator('#environment-title ~ [data-status], .page-header [data-status]').first();
  }

  async waitStatus(phase: string, timeout = 90_000): Promise<void> {
    await this.page.locator(`.page-header [data-status="${phase}"]`).waitFor({ timeout });
  }

  podRows(): Locator {
    return this.page.getByTestId('pods').locator('tbody tr');
  }

  async resizeWorkers(count: number): Promise<void> {
    await this.page.locator('#resize-workers').fill(String(count));
    await this.page.getByRole('button', { name: 'Resize' }).click();
  }

  imPanel(): Locator {
    return this.page.getByTestId('im-panel');
  }

  infrastructureId(): Locator {
    return this.page.getByTestId('infrastructure-id');
  }

  /** Opens IM's log and waits for it. */
  async showLogs(): Promise<Locator> {
    await this.page.getByTestId('load-logs').click();
    const log = this.page.getByTestId('im-logs');
    await log.waitFor();
    return log;
  }

  credentialsPanel(): Locator {
    return this.page.getByTestId('credentials-panel');
  }

  /** One value of a credential, by its title: 'username' or 'secret'. */
  credentialValue(title: string, field: 'username' | 'secret'): Locator {
    return this.credentialsPanel()
      .locator('.credential', { has: this.page.locator('dt', { hasText: title }) })
      .locator(`[data-field="${field}"]`);
  }

  copyCredential(title: string, field: 'username' | 'secret'): Locator {
    return this.credentialsPanel()
      .locator('.credential', { has: this.page.locator('dt', { hasText: title }) })
      .locator(`[data-copy="${field}"]`);
  }

  async revealCredentials(): Promise<void> {
    await this.page.getByTestId('reveal-credentials').click();
    await this.page.getByTestId('reveal-credentials').getByText('Hide').waitFor();
  }

  /** Delete…, the environment's name typed to confirm, then Delete <name>. */
  async delete(): Promise<void> {
    await this.confirmRemoval();
    await this.page.getByTestId('confirm-delete').click();
  }

  /** Delete…, the name typed, then Forget <name>: the record goes, the cluster is not touched. */
  async forget(): Promise<void> {
    await this.confirmRemoval();
    await this.page.getByTestId('confirm-forget').click();
  }

  /** Opens the Delete… panel and types the environment's name into it. */
  async confirmRemoval(): Promise<void> {
    const name = (await this.page.locator('#environment-title').textContent()) ?? '';
    await this.page.getByTestId('delete').click();
    await this.page.locator('#confirm-name').fill(name);
  }

  driftRows(): Locator {
    return this.page.getByTestId('drift').locator('tbody tr');
  }
}
