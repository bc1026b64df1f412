/** One pending background renewal at most; it never keeps the process alive on its own. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RenewalTimer {
  private timer: NodeJS.Timeout | undefined;

  schedule(delayMs: number, run: () => void): void {
    this.clear();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        run();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, delayMs)),
    );
    this.timer.unref();
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
