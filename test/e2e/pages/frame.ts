import type { Locator, Page } from 'playwright';

/** The app frame: navigation and the account area. */
export class Frame {
  constructor(readonly page: Page) {}

  nav(name: string | RegExp): Locator {
    return this.page.getByRole('navigation').getByRole('button', { name });
  }

  async goTo(name: string | RegExp): Promise<void> {
    await this.nav(name).click();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }
}
