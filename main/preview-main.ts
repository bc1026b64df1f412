/**
 * The browser preview as a program (built to out/main/preview.js next to the
 * Electron shell, so it starts from one bundled file as the app does, not
 * from sources transpiled on every start): serves the app on 127.0.0.1,
 * prints the URL as its first line, opens the system browser where there is
 * a display, and stops cleanly on SIGINT/SIGTERM.
 *
 * The URL with its token goes to stdout only (the user's own terminal or pipe);
 * the browser is opened on a private redirect file, never on the URL, because
 * an opener's command line is readable by every local user.
 */
import { openInSystemBrowser, servePreview } from './preview';
import { applyHeapPolicy } from './shell/heap-policy';
import { writeRedirectFile } from './shell/preview-redirect';

applyHeapPolicy();
// Serving before the app has loaded (see preview.ts): the URL is printed as soon as the server listens.
const preview = await servePreview();
process.stdout.write(`${preview.bridge.url}\n`);
const redirect = writeRedirectFile(preview.configDir, preview.bridge.url);
// An app that cannot be built stops the program, as it did when it was built before serving.
preview.app.catch((error: unknown) => {
  process.stderr.write(`The app could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  redirect.remove();
  process.exit(1);
});
// Installed before the browser opens, so a stop at any moment removes the redirect file.
const stop = (): void =>
  void preview.close().then(() => {
    redirect.remove();
    process.exit(0);
  });
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await openInSystemBrowser(redirect.url);
