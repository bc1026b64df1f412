import type { Locator, Page } from 'playwright';

export class CataloguePage {
  constructor(readonly page: Page) {}

  cards(): Locator {
    return this.page.locator('li.template-card');
  }

  card(templateName: string): Locator {
    return this.page.locator(`li.template-card[data-template="${templateName}"]`);
  }

  errorCards(): Locator {
    return this.page.locator('li.card-error');
  }

  async waitLoaded(): Promise<void> {
    await this.page.locator('ul.card-grid').waitFor();
  }
}
