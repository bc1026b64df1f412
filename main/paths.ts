import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PRODUCT_NAME = 'AF Provisioner';

/**
 * The folder Electron's app.getPath('userData') gives for our productName, so
 * the app, the browser preview and the CLI read and write the same files.
 * AFP_CONFIG_DIR overrides it (tests, portable setups).
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.AFP_CONFIG_DIR !== undefined && env.AFP_CONFIG_DIR !== '') return path.resolve(env.AFP_CONFIG_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/** The folder holding package.json and templates/: found by walking up, so sources (tsx), the build (out/) and the asar all agree. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}

// Here, not in app.ts, so the preview finds its renderer without loading the app.
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
