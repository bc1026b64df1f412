import type { Locator, Page } from 'playwright';

/** The Environment page's Logs card. */
export class LogsPanel {
  constructor(readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('logs-panel');
  }

  log(): Locator {
    return this.page.getByTestId('container-log');
  }

  async show(component: string, options: { follow?: boolean; previous?: boolean } = {}): Promise<void> {
    await this.page.getByTestId('log-component').locator(`option[value="${component}"]`).waitFor({ state: 'attached', timeout: 60_000 });
    await this.page.getByTestId('log-component').selectOption(component);
    if (options.previous === true) {
      await this.page.locator('[data-testid="log-previous"]:not(:disabled)').waitFor({ timeout: 60_000 });
      await this.page.getByTestId('log-previous').check();
    } else {
      await this.page.getByTestId('log-previous').setChecked(false, { force: true });
      await this.page.getByTestId('log-follow').setChecked(options.follow === true);
    }
    await this.page.getByTestId('show-log').click();
  }

  async text(): Promise<string> {
    return this.log().innerText();
  }
}
