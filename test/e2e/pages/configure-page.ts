import type { Locator, Page } from 'playwright';

export class ConfigurePage {
  constructor(readonly page: Page) {}

  field(parameter: string): Locator {
    return this.page.locator(`[data-parameter="${parameter}"]`);
  }

  errorOf(parameter: string): Locator {
    return this.page.locator(`.parameter:has([data-parameter="${parameter}"]) .field-error`);
  }

  preset(name: string): Locator {
    return this.page.locator(`[data-preset="${name}"]`);
  }

  reviewButton(): Locator {
    return this.page.getByRole('button', { name: 'Review', exact: true });
  }

  async set(parameter: string, value: string): Promise<void> {
    await this.field(parameter).fill(value);
  }

  async waitValid(): Promise<void> {
    await this.page.locator('.actions .button-primary:not(:disabled)').waitFor();
  }
}
