import type { Locator, Page } from 'playwright';

export class SettingsPage {
  constructor(readonly page: Page) {}

  language(): Locator {
    return this.page.getByTestId('language');
  }

  async chooseLanguage(code: 'en' | 'it'): Promise<void> {
    await this.language().selectOption(code);
  }

  async chooseTheme(label: string | RegExp): Promise<void> {
    await this.page.getByRole('radio', { name: label }).check();
  }
}
