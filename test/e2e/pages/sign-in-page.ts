import type { Locator, Page } from 'playwright';

/** The sign-in page and the account menu in the sidebar. */
export class SignInPage {
  constructor(readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: /Sign in|Accedi/ });
  }

  withBrowser(): Locator {
    return this.page.getByTestId('sign-in-browser');
  }

  withDevice(): Locator {
    return this.page.getByTestId('sign-in-device');
  }

  waitingForBrowser(): Locator {
    return this.page.getByTestId('waiting-browser');
  }

  userCode(): Locator {
    return this.page.getByTestId('user-code');
  }

  cancel(): Locator {
    return this.page.getByTestId('sign-in-cancel');
  }

  error(): Locator {
    return this.page.getByTestId('sign-in-error');
  }

  account(): Locator {
    return this.page.getByTestId('account-menu');
  }

  accountSignIn(): Locator {
    return this.page.getByTestId('account-sign-in');
  }

  async openAccount(): Promise<void> {
    await this.account().locator('summary').click();
  }

  accountGroups(): Locator {
    return this.page.getByTestId('account-groups');
  }

  accountUsername(): Locator {
    return this.page.getByTestId('account-username');
  }

  signOut(): Locator {
    return this.page.getByTestId('account-sign-out');
  }
}
