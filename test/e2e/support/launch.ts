/**
 * Starts the app for an e2e spec: by default the browser preview driven by
 * Debian's Chromium; with AFP_E2E_TARGET=electron, the real Electron app
 * through Playwright's Electron support (needs the Electron binary).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright';
import { startPreview, type Preview } from '../../../main/preview';
import { builtInTemplateDir } from '../../../main/app';
import type { AuthAppOptions } from '../../../main/auth/service';
import { electronBinary } from '../../../scripts/electron-binary';

export const CHROMIUM = process.env.AFP_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('artifacts', 'screenshots');

export interface LaunchOptions {
  /** Extra template folders after the built-ins (site templates). */
  templateDirs?: string[];
  /** A site profile file, given as AFP_PROFILE would. */
  profile?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  locale?: string;
  /** Sign-in settings and vault for the preview (e.g. the bed's IdP); default: the site profile's. */
  auth?: AuthAppOptions;
  /** Script run in the page before the app's own (preview only): spies on browser APIs. */
  initScript?: string;
}

export interface LaunchedApp {
  page: Page;
  configDir: string;
  /** Links the app asked the system browser to open. */
  opened: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export function e2eTarget(): 'preview' | 'electron' {
  return process.env.AFP_E2E_TARGET === 'electron' ? 'electron' : 'preview';
}

export async function launchApp(options: LaunchOptions = {}): Promise<LaunchedApp> {
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'afp-e2e-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return e2eTarget() === 'electron' ? launchElectron(configDir, options) : launchPreview(configDir, options);
}

async function launchPreview(configDir: string, options: LaunchOptions): Promise<LaunchedApp> {
  const opened: string[] = [];
  const preview: Preview = await startPreview({
    configDir,
    ...(options.templateDirs === undefined ? {} : { templateDirs: [builtInTemplateDir(), ...options.templateDirs] }),
    // The machine's own system-wide profile must not leak into a test.
    profileSources: {
      env: options.profile === undefined ? {} : { AFP_PROFILE: options.profile },
      systemPath: path.join(configDir, 'no-system-profile.yaml'),
    },
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve(true);
    },
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-GB',
  });
  if (options.initScript !== undefined) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  await page.goto(preview.bridge.url);
  return {
    page,
    configDir,
    opened,
    screenshot: (name) => shoot(page, name),
    close: async () => {
      await browser.close();
      await preview.close();
    },
  };
}

async function launchElectron(configDir: string, options: LaunchOptions): Promise<LaunchedApp> {
  const executablePath = electronBinary();
  if (executablePath === undefined)
    throw new Error('AFP_E2E_TARGET=electron needs the Electron binary (node_modules/electron/dist), which is not installed here.');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), AFP_CONFIG_DIR: configDir };
  if (options.profile !== undefined) env.AFP_PROFILE = options.profile;
  if (options.profile === undefined && options.templateDirs !== undefined && options.templateDirs.length > 0) {
    // Site template folders reach the real app the way a site admin gives them: through a site profile.
    const profile = path.join(configDir, 'e2e-profile.yaml');
    writeFileSync(
      profile,
      `apiVersion: afp.dev/v1\nkind: SiteProfile\nsite: { name: e2e }\ntemplates:\n  folders: ${JSON.stringify(options.templateDirs)}\n`,
    );
    env.AFP_PROFILE = profile;
  }
  const app: ElectronApplication = await _electron.launch({ executablePath, args: ['.'], env });
  const page = await app.firstWindow();
  if (options.viewport !== undefined) await page.setViewportSize(options.viewport);
  return {
    page,
    configDir,
    opened: [],
    screenshot: (name) => shoot(page, name),
    close: () => app.close(),
  };
}

async function shoot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${e2eTarget()}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
