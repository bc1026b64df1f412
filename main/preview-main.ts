/**
 * The browser preview as a program (built to out/main/preview.js next to the
 * Electron shell, so it starts from one bundled file as the app does, not
 * from sources transpiled on every start): serves the app on 127.0.0.1,
 * prints the URL as its first line, opens the system browser where there is
 * a display, and stops cleanly on SIGINT/SIGTERM.
 */
import { openInSystemBrowser, startPreview } from './preview';

const preview = await startPreview();
process.stdout.write(`${preview.bridge.url}\n`);
await openInSystemBrowser(preview.bridge.url);
const stop = (): void => void preview.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
