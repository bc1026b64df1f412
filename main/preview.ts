/**
 * The browser preview: the same app and renderer, the contract over the
 * loopback HTTP bridge. Used by `npm start` where Electron is missing, and by
 * the e2e tests.
 */
import path from 'node:path';
import { createApp, PROJECT_ROOT, type App, type AppOptions } from './app';
import type { Host } from './app/host';
import { startHttpBridge, type HttpBridge } from './bridge/http';
import { userDataDir } from './paths';
import { gateKubeconfigs } from './shell/kubeconfig-choices';
import { hasDisplay, openInSystemBrowser } from './shell/system-browser';
import { openConfStore } from './store/conf-store';

export interface PreviewOptions extends Partial<Omit<AppOptions, 'host'>> {
  configDir?: string;
  port?: number;
  rendererDir?: string;
  /** Overrides how links open (tests record them instead of launching a browser). */
  openExternal?: (url: string) => Promise<boolean>;
}

export interface Preview {
  app: App;
  bridge: HttpBridge;
  /** The app data folder it uses (0700). */
  configDir: string;
  close(): Promise<void>;
}

export function previewHost(configDir: string, openExternal: (url: string) => Promise<boolean> = openInSystemBrowser): Host {
  return { shell: 'browser-preview', openExternal, openStore: (name) => openConfStore(configDir, name) };
}

export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const configDir = options.configDir ?? userDataDir();
  const host = previewHost(configDir, options.openExternal);
  const app = createApp({ ...options, host });
  const bridge = await startHttpBridge({
    dispatch: gateKubeconfigs(app, host),
    events: app.events,
    staticDir: options.rendererDir ?? path.join(PROJECT_ROOT, 'out', 'renderer'),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  return {
    app,
    bridge,
    configDir,
    close: async () => {
      await bridge.close();
      await app.dispose();
    },
  };
}

// Where the CLI's sign-in finds the opener today; the one implementation is in shell/system-browser.
export { hasDisplay, openInSystemBrowser };
