/**
 * The host the browser preview (and tests that build the app as it does)
 * runs with: conf stores in its data folder, links opened by the system
 * browser. Apart from main/preview.ts so the preview's server can listen
 * before conf (and the app) load.
 */
import { openInSystemBrowser } from '../shell/system-browser';
import { openConfStore } from '../store/conf-store';
import type { Host } from './host';

export function previewHost(configDir: string, openExternal: (url: string) => Promise<boolean> = openInSystemBrowser): Host {
  return { shell: 'browser-preview', openExternal, openStore: (name) => openConfStore(configDir, name) };
}
