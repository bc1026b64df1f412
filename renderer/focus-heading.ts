import { useEffect } from 'react';

/**
 * Each page opens at its top with focus on its heading, so a screen reader
 * announces the new page (instead of focus falling to <body>) and a page
 * never opens scrolled to where the previous one was. Pages render their
 * heading once their data arrives, so this waits for it (15 s at most).
 */
export function useFocusHeading(routeKey: string, container: () => HTMLElement | null): void {
  useEffect(() => {
    window.scrollTo(0, 0);
    const root = container();
    if (root === null) return undefined;
    root.scrollTop = 0;
    const focus = (): boolean => {
      const heading = root.querySelector<HTMLElement>('h1');
      if (heading === null) return false;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
      window.scrollTo(0, 0);
      return true;
    };
    if (focus()) return undefined;
    const observer = new MutationObserver(() => {
      if (focus()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true });
    const stop = window.setTimeout(() => observer.disconnect(), 15_000);
    return () => {
      observer.disconnect();
      window.clearTimeout(stop);
    };
  }, [routeKey, container]);
}
