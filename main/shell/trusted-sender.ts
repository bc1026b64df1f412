/**
 * Whether an IPC request comes from our own renderer: its top document, loaded
 * from the packaged file or the dev server, and nothing else (no iframe or
 * navigated-away page).
 */
export function createTrustedSenderCheck(rendererUrl: string): (frameUrl: string) => boolean {
  const expected = new URL(rendererUrl);
  return (frameUrl) => {
    let url: URL;
    try {
      url = new URL(frameUrl);
    } catch {
      return false;
    }
    if (url.protocol !== expected.protocol) return false;
    if (url.protocol === 'file:') return url.pathname === expected.pathname;
    return url.origin === expected.origin;
  };
}
