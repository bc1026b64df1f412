/**
 * `npm start`: build, then the desktop app where Electron's binary exists;
 * otherwise one line saying so and the browser preview of the same app.
 */
import { spawn } from 'node:child_process';
import { openInSystemBrowser, startPreview } from '../main/preview';
import { buildApp } from './build';
import { electronBinary } from './electron-binary';

await buildApp();
const electron = electronBinary();
if (electron !== undefined) {
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const preview = await startPreview();
  console.log(`Electron is not installed on this machine, so AF Provisioner runs as a browser preview at ${preview.bridge.url}`);
  await openInSystemBrowser(preview.bridge.url);
  const stop = (): void => void preview.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
