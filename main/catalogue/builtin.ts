/**
 * Where the built-in templates live: templates/ beside package.json, found by
 * walking up, so sources (tsx), the build (out/) and the asar agree.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function builtinTemplatesDir(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'templates'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('templates/ folder not found above the program');
    dir = parent;
  }
  cached = path.join(dir, 'templates');
  return cached;
}
