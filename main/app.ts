/**
 * Composition root: builds every service from the host and options, and the
 * handler for each contract request. Electron-free, so the Electron shell, the
 * browser preview, the CLI and the tests all run the same app.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDispatch, type Dispatch } from './bridge/dispatch';
import type { Handlers } from './bridge/handlers';
import { AfpError } from './errors';
import { EventBus } from './events';
import { createLogger, type Logger } from './log';
import type { Host } from './app/host';
import { CapacityViews } from './app/capacity-views';
import { createAuth, type AuthAppOptions } from './auth/service';
import { authSettingsFromProfile } from './auth/settings';
import { EnvironmentsService } from './app/environments-service';
import { CatalogueService } from './app/catalogue-service';
import type { CatalogueOptions } from './catalogue/catalogue';
import { ProfileService } from './app/profile-service';
import { catalogueInput } from './site/catalogue-overrides';
import type { ProfileSources } from './site/profile-source';
import { cataloguePage, detailOf } from './app/catalogue-views';
import { exportTarget, writeExport } from './app/export-plan';
import { planFor, previewPlan } from './app/plan-views';
import { SettingsService } from './settings/settings-service';
import { isAllowedExternalUrl, isEnvironmentLinkUrl } from './shell/external-links';
import { chooseKubeconfig } from './shell/kubeconfig-choices';
import { loadKubeconfig } from './kube/kubeconfig';

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

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

export interface AppOptions {
  host: Host;
  /** Template folders, built-ins first; later folders override earlier ones by template name. Default: the built-ins and the site profile's folders. */
  templateDirs?: string[];
  /** Sign-in: the provider (default: the site profile's auth section) and the vault (default: the CLI's file vault). */
  auth?: AuthAppOptions;
  /** Where the site profile may come from besides Settings (CLI flag, environment, system path). */
  profileSources?: Omit<ProfileSources, 'settings'>;
  log?: Logger;
}

export interface App {
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventBus;
  log: Logger;
  dispose(): Promise<void>;
}

export function builtInTemplateDir(root = PROJECT_ROOT): string {
  return path.join(root, 'templates');
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export function createApp(options: AppOptions): App {
  const log = options.log ?? createLogger();
  const events = new EventBus();
  const settings = new SettingsService(options.host.openStore('settings'), events);
  const profiles = new ProfileService(options.host.openStore('settings'), options.profileSources ?? {}, events, log);
  const catalogueOptions = (): CatalogueOptions => {
    const input = catalogueInput(profiles.current());
    return options.templateDirs === undefined ? input : { ...input, dirs: [...options.templateDirs, ...input.dirs.slice(1)] };
  };
  const catalogue = new CatalogueService(catalogueOptions());
  const ready = profiles.load().then(() => catalogue.reload(catalogueOptions()));
  profiles.onChange(() => {
    catalogue.reload(catalogueOptions());
    events.emit({ type: 'catalogue.changed' });
  });
  const currentCatalogue = async (): ReturnType<CatalogueService['get']> => {
    await ready;
    return catalogue.get();
  };
  const version = packageVersion();
  const capacity = new CapacityViews();
  const auth = createAuth({
    ...options.auth,
    settings:
      options.auth?.settings ??
      (() => {
        const active = profiles.current();
        return active === null ? undefined : authSettingsFromProfile(active.profile);
      }),
    host: options.host,
    log,
    emit: (event) => events.emit(event),
  });
  let environmentsService: EnvironmentsService | undefined;
  // The inventory and its watches start on first use: `afp export` and the Catalogue never pay for them.
  const environments = (): EnvironmentsService =>
    (environmentsService ??= new EnvironmentsService({
      store: options.host.openStore('inventory'),
      events,
      catalogue: currentCatalogue,
      profile: () => profiles.current(),
      openExternal: (url) => (isEnvironmentLinkUrl(url) ? options.host.openExternal(url) : Promise.resolve(false)),
      session: auth.session,
      ...(options.host.notify === undefined ? {} : { notify: (title: string, body: string) => options.host.notify?.(title, body) }),
    }));

  const handlers: Handlers = {
    ...auth.handlers,
    'app.info': () =>
      Promise.resolve({ name: 'AF Provisioner', version, shell: options.host.shell, platform: process.platform, homeDir: os.homedir() }),
    'templates.list': async () => cataloguePage(await currentCatalogue()),
    'templates.get': async ({ name }) => detailOf((await currentCatalogue()).require(name)),
    'plan.render': async (request) => previewPlan(await currentCatalogue(), request, profiles.current()),
    'capacity.fit': async ({ plan, source }) => capacity.fit(await currentCatalogue(), plan, source, profiles.current()),
    'plan.export': async ({ format, directory, ...request }) => {
      const target = exportTarget(format, request.target);
      return { files: await writeExport(planFor(await currentCatalogue(), { ...request, target }, profiles.current()), format, directory) };
    },
    'export.chooseFolder': async ({ suggested }) => {
      const directory = await options.host.chooseFolder?.(suggested);
      return directory === undefined ? {} : { directory };
    },
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.update': (patch) => Promise.resolve(settings.update(patch)),
    'links.open': async ({ url }) => {
      if (!isAllowedExternalUrl(url)) {
        throw new AfpError('forbidden', 'Only https: links and http: links to this computer are opened.', { field: 'url' });
      }
      return { opened: await options.host.openExternal(url) };
    },
    'profile.get': async () => {
      await ready;
      return profiles.view();
    },
    'profile.choose': ({ file }) => profiles.choose(file),
    'kube.chooseKubeconfig': (input) => chooseKubeconfig(input, options.host),
    'kube.contexts': ({ kubeconfig }) => {
      const loaded = loadKubeconfig(kubeconfig === undefined ? {} : { file: kubeconfig });
      return Promise.resolve({
        files: loaded.files,
        currentContext: loaded.currentContext,
        contexts: loaded.contexts,
        warnings: loaded.warnings,
      });
    },
    'environments.list': () => Promise.resolve({ environments: environments().list() }),
    'environments.get': ({ id }) => Promise.resolve(environments().get(id)),
    'environments.deploy': ({ plan, target }) => environments().deploy(plan, target),
    'environments.logs': ({ id }) => environments().logs(id),
    'environments.credentials': ({ id }) => environments().credentials(id),
    'environments.update': ({ id, values }) => environments().update(id, values),
    'environments.restore': ({ id }) => environments().restore(id),
    'environments.delete': ({ id }) => environments().delete(id),
    'environments.forget': ({ id }) => Promise.resolve(environments().forget(id)),
    'environments.resume': ({ id }) => environments().resume(id),
    'environments.openLink': ({ id, linkId }) => {
      return environments().openLink(id, linkId);
    },
    'operations.cancel': ({ operationId }) => Promise.resolve({ cancelled: environmentsService?.cancel(operationId) ?? false }),
  };

  return {
    handlers,
    dispatch: createDispatch(handlers, log),
    events,
    log,
    dispose: async () => {
      profiles.dispose();
      auth.dispose();
      await environmentsService?.dispose();
    },
  };
}
