/**
 * `npm start`: build, then the desktop app where Electron's binary exists;
 * otherwise one line saying so and the browser preview of the same app (the
 * built out/main/preview.js, which prints its URL first and opens the browser).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { buildApp } from './build';
import { electronBinary } from './electron-binary';

await buildApp();
const electron = electronBinary();
if (electron !== undefined) {
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const preview = spawn(process.execPath, [path.resolve('out', 'main', 'preview.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: preview.stdout });
  let first = true;
  lines.on('line', (line) => {
    console.log(first ? `Electron is not installed on this machine, so AF Provisioner runs as a browser preview at ${line}` : line);
    first = false;
  });
  preview.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
  // Ctrl-C reaches the preview too (same process group); a plain SIGTERM to npm is passed on.
  process.on('SIGTERM', () => preview.kill('SIGTERM'));
  process.on('SIGINT', () => undefined);
}
