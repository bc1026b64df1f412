import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Electron executable if the electron package's binary was downloaded at
 * install time; undefined where it could not be (as on this project's CI).
 */
export function electronBinary(root = process.cwd()): string | undefined {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}
