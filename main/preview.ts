/**
 * The browser preview: the same app and renderer, the contract over the
 * loopback HTTP bridge. Used by `npm start` where Electron is missing, and by
 * the e2e tests.
 *
 * It listens and serves the renderer before the app loads: the app's modules
 * (zod and the contract, conf, sign-in, the catalogue's schemas) are imported
 * once the server listens, while the browser starts, and a request that
 * comes before they are loaded waits for them. Only node built-ins and the
 * bridge's own small files are loaded before the first byte.
 */
import path from 'node:path';
import type { App, AppOptions } from './app';
import type { Dispatch } from './bridge/dispatch';
import { startHttpBridge, type HttpBridge } from './bridge/http';
import { EventBus } from './events';
import { PROJECT_ROOT, userDataDir } from './paths';
import { hasDisplay, openInSystemBrowser } from './shell/system-browser';

export interface PreviewOptions extends Partial<Omit<AppOptions, 'host' | 'events'>> {
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

/** A preview that serves while its app still loads: `app` settles once it has (rejected when it cannot be built). */
export interface ServingPreview extends Omit<Preview, 'app'> {
  app: Promise<App>;
}

interface Loaded {
  app: App;
  dispatch: Dispatch;
}

async function loadApp(options: PreviewOptions, configDir: string, events: EventBus): Promise<Loaded> {
  const [{ createApp }, { previewHost }, { gateKubeconfigs }] = await Promise.all([
    import('./app'),
    import('./app/preview-host'),
    import('./shell/kubeconfig-choices'),
  ]);
  const host = previewHost(configDir, options.openExternal);
  const app = createApp({ ...options, host, events });
  return { app, dispatch: gateKubeconfigs(app, host) };
}

export async function servePreview(options: PreviewOptions = {}): Promise<ServingPreview> {
  const configDir = options.configDir ?? userDataDir();
  const events = new EventBus();
  let loading: Promise<Loaded> | undefined;
  const loaded = (): Promise<Loaded> => (loading ??= loadApp(options, configDir, events));
  const bridge = await startHttpBridge({
    dispatch: async (name, input, context) => (await loaded()).dispatch(name, input, context),
    events,
    staticDir: options.rendererDir ?? path.join(PROJECT_ROOT, 'out', 'renderer'),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  // Started now, not at the first request: the browser is still starting, and the app should be ready when it asks.
  const app = loaded().then((l) => l.app);
  return {
    app,
    bridge,
    configDir,
    close: async () => {
      await bridge.close();
      await app.then(
        (built) => built.dispose(),
        () => undefined,
      );
    },
  };
}

/** A preview whose app is loaded (tests, the warm bench). */
export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const serving = await servePreview(options);
  try {
    return { ...serving, app: await serving.app };
  } catch (error) {
    await serving.close();
    throw error;
  }
}

// Where the CLI's sign-in finds the opener today; the one implementation is in shell/system-browser.
export { hasDisplay, openInSystemBrowser };
