import type { Page } from 'playwright';

/** The Deploy page: the running operation's state line, its problems and its progress log. */
export class DeployPage {
  constructor(readonly page: Page) {}

  /**
   * Waits until the state line says `text` (e.g. "Done"). A timeout names what the page said instead — its state
   * line, problems and the progress log's last lines — since a bare "waiting for … to be visible" cannot tell a slow
   * operation from one that ended otherwise.
   */
  async until(text: string, timeoutMs: number): Promise<void> {
    try {
      await this.page.getByTestId('deploy-state').getByText(text).waitFor({ timeout: timeoutMs });
    } catch (error) {
      const said = async (testId: string): Promise<string> =>
        (await this.page.getByTestId(testId).count()) === 0 ? '(none)' : (await this.page.getByTestId(testId).innerText()).trim();
      const log = (await said('progress-log')).split('\n').slice(-12).join(' | ');
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new Error(
        `${message} — the Deploy page said "${await said('deploy-state')}"; problems: ${await said('deploy-problems')}; last progress: ${log}`,
      );
    }
  }
}
