/**
 * A signal that aborts when its parent does or when a deadline passes.
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])` cannot be trusted on
 * Node 20: the composite holds its sources weakly, so a garbage collection
 * before the deadline can take the timeout signal and it never fires
 * (nodejs/node#57736; here 0 of 200 fired after one gc). A probe would then
 * wait for the socket's own timeout instead of its deadline. A plain timer
 * holds the controller strongly until `clear()`.
 */
export interface Deadline {
  signal: AbortSignal;
  /** True once the deadline, not the parent, aborted the signal. */
  timedOut(): boolean;
  /** Stops the timer and lets go of the parent; call when the guarded work ends. */
  clear(): void;
}

export function withDeadline(parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onParent = (): void => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`The deadline of ${ms} ms passed.`, 'TimeoutError'));
  }, ms);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    clear: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}
