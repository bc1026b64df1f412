/**
 * Composition root: builds every service from the host and options, and the
 * handler for each contract request. Electron-free, so the Electron shell, the
 * browser preview, the CLI and the tests all run the same app.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatch, type Dispatch } from './bridge/dispatch';
import type { Handlers } from './bridge/handlers';
import { AfpError } from './errors';
import { EventBus } from './events';
import { createLogger, type Logger } from './log';
import { PROJECT_ROOT } from './paths';
import type { Host } from './app/host';
import { createAuth, type AuthAppOptions } from './auth/service';
import { authSettingsFromProfile } from './auth/settings';
import { CatalogueService } from './app/catalogue-service';
import type { CatalogueOptions } from './catalogue/catalogue';
import { ProfileService } from './app/profile-service';
import { catalogueInput } from './site/catalogue-overrides';
import type { ProfileSources } from './site/profile-source';
import { cataloguePage, detailOf } from './app/catalogue-views';
import { SettingsService } from './settings/settings-service';
import { isAllowedExternalUrl, isEnvironmentLinkUrl } from './shell/external-links';
import { chooseKubeconfig, foreignWriteProblem, openKubeconfigChoices } from './shell/kubeconfig-choices';
import type * as CatalogueCore from './app/catalogue-core';
import type * as OnDemand from './app/on-demand';
import type { CapacityViews, EnvironmentsService } from './app/on-demand';
import { clusterOf } from './targets/kinds/cluster-of';

export { PROJECT_ROOT };

export interface AppOptions {
  host: Host;
  /** Template folders, built-ins first; later folders override earlier ones by template name. Default: the built-ins and the site profile's folders. */
  templateDirs?: string[];
  /** Sign-in: the provider (default: the site profile's auth section) and the vault (default: the CLI's file vault). */
  auth?: AuthAppOptions;
  /** Where the site profile may come from besides Settings (CLI flag, environment, system path). */
  profileSources?: Omit<ProfileSources, 'settings'>;
  log?: Logger;
  /** The bus the bridges stream from; given when a bridge starts before the app (the preview serves first). */
  events?: EventBus;
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
  const events = options.events ?? new EventBus();
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
  // Loaded on first use, or warmed once a template is opened: see app/on-demand.ts.
  let onDemand: Promise<typeof OnDemand> | undefined;
  const core = (): Promise<typeof OnDemand> => (onDemand ??= import('./app/on-demand'));
  // The Catalogue's marks and cluster status: a smaller module without the Kubernetes client (app/catalogue-core.ts).
  let catalogueCoreLoading: Promise<typeof CatalogueCore> | undefined;
  let catalogueCoreLoaded: typeof CatalogueCore | undefined;
  const catalogueCore = (): Promise<typeof CatalogueCore> =>
    (catalogueCoreLoading ??= import('./app/catalogue-core').then((loaded) => (catalogueCoreLoaded = loaded)));
  let capacityViews: Promise<CapacityViews> | undefined;
  const capacity = (): Promise<CapacityViews> => (capacityViews ??= core().then((m) => new m.CapacityViews()));
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
  let environmentsStarting: Promise<EnvironmentsService> | undefined;
  // The inventory and its watches start on first use: `afp export` and the Catalogue never pay for them.
  // The promise is kept so that two first requests at once build one service.
  const environments = (): Promise<EnvironmentsService> =>
    (environmentsStarting ??= core().then(
      (m) =>
        (environmentsService = new m.EnvironmentsService({
          store: options.host.openStore('inventory'),
          events,
          catalogue: currentCatalogue,
          profile: () => profiles.current(),
          openExternal: (url) => (isEnvironmentLinkUrl(url) ? options.host.openExternal(url) : Promise.resolve(false)),
          session: auth.session,
        })),
    ));

  // The GUI's kubeconfig: a request that names none uses the file the user chose (kept across restarts), else the site's or kubectl's default,
  // and the context the site allows that kube.contexts offers first: Configure, Review, "Cluster now" and Deploy all read one cluster.
  const choices = openKubeconfigChoices(options.host);
  // The gate checks files a request names; the chosen file is added here, after it, so its ownership is checked again on every use.
  const chosenProblem = (file: string | undefined): AfpError | undefined => {
    const problem = file === undefined ? undefined : foreignWriteProblem(file);
    return problem === undefined ? undefined : new AfpError('forbidden', `The kubeconfig ${file ?? ''} is refused: ${problem}`, { file });
  };
  const clusters = async (kubeconfig?: string): Promise<ReturnType<typeof CatalogueCore.kubeClusters>> => {
    const chosen = choices.current();
    const problem = chosenProblem(chosen);
    return (await catalogueCore()).kubeClusters({
      kubeconfig,
      chosen,
      profile: profiles.current()?.profile,
      chosenProblem: problem?.toJSON(),
    });
  };
  const withDefaultCluster = async <T extends { kubeconfig?: string | undefined; context?: string | undefined }>(where: T): Promise<T> => {
    if (where.kubeconfig !== undefined && where.context !== undefined) return where;
    const view = await clusters(where.kubeconfig);
    const refused = view.origin === 'chosen' ? chosenProblem(view.chosen) : undefined;
    if (refused !== undefined) throw refused;
    const file = where.kubeconfig ?? (view.origin === 'chosen' || view.origin === 'profile' ? view.files[0] : undefined);
    const context = where.context ?? view.preselected;
    return { ...where, kubeconfig: file, context };
  };

  const handlers: Handlers = {
    ...auth.handlers,
    'app.info': () =>
      Promise.resolve({ name: 'AF Provisioner', version, shell: options.host.shell, platform: process.platform, homeDir: os.homedir() }),
    'app.notify': ({ title, body }) => {
      if (options.host.notify === undefined) return Promise.resolve({ shown: false });
      options.host.notify(title, body);
      return Promise.resolve({ shown: true });
    },
    'templates.list': async () => {
      const loaded = await currentCatalogue();
      const page = cataloguePage(loaded);
      // The cards' target marks need rendering. The first answer goes without them, so the Catalogue paints
      // without waiting for it; once it is loaded, catalogue.changed makes the renderer ask again.
      if (catalogueCoreLoaded === undefined) {
        void catalogueCore().then(
          () => events.emit({ type: 'catalogue.changed' }),
          (error: unknown) => log.warn('Loading the Catalogue core failed', { error: String(error) }),
        );
        return page;
      }
      for (const card of page.templates) card.targets = catalogueCoreLoaded.templateTargets(loaded, card.name, profiles.current());
      return page;
    },
    'templates.get': async ({ name }) => detailOf((await currentCatalogue()).require(name)),
    'plan.render': async (request) => (await core()).previewPlan(await currentCatalogue(), request, profiles.current()),
    'capacity.fit': async ({ plan, source }) =>
      (await capacity()).fit(
        await currentCatalogue(),
        plan,
        source.kind === 'cluster' ? await withDefaultCluster(source) : source,
        profiles.current(),
      ),
    'plan.export': async ({ format, directory, ...request }) => {
      const { exportTarget, planFor, writeExport } = await core();
      const target = exportTarget(format, request.target);
      return { files: await writeExport(planFor(await currentCatalogue(), { ...request, target }, profiles.current()), format, directory) };
    },
    'export.chooseFolder': async ({ suggested }) => {
      const directory = await options.host.chooseFolder?.(suggested);
      return { directory };
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
    'kube.contexts': async ({ kubeconfig }) => {
      await ready;
      return clusters(kubeconfig);
    },
    'environments.list': async () => ({ environments: (await environments()).list() }),
    'environments.get': async ({ id }) => (await environments()).get(id),
    'environments.deploy': async ({ plan, target }) => {
      const cluster = clusterOf(target);
      return (await environments()).deploy(plan, cluster === undefined ? target : await withDefaultCluster(cluster));
    },
    'environments.logs': async ({ id }) => (await environments()).logs(id),
    'environments.credentials': async ({ id }) => (await environments()).credentials(id),
    'environments.logSources': async ({ id }) => (await environments()).logSources(id),
    'environments.logStream': async (request) => (await environments()).logStream(request),
    'environments.logStop': ({ streamId }) => Promise.resolve(environmentsService?.logStop(streamId) ?? { stopped: false }),
    'environments.update': async ({ id, values }) => (await environments()).update(id, values),
    'environments.restore': async ({ id }) => (await environments()).restore(id),
    'environments.forget': async ({ id }) => (await environments()).forget(id),
    'environments.delete': async ({ id }) => (await environments()).delete(id),
    'environments.resume': async ({ id }) => (await environments()).resume(id),
    'environments.openLink': async ({ id, linkId }) => (await environments()).openLink(id, linkId),
    'operations.cancel': ({ operationId }) => Promise.resolve({ cancelled: environmentsService?.cancel(operationId) ?? false }),
    'operations.history': ({ operationId }) => Promise.resolve(environmentsService?.history(operationId) ?? { progress: [] }),
  };

  return {
    handlers,
    dispatch: createDispatch(handlers, log),
    events,
    log,
    dispose: async () => {
      profiles.dispose();
      auth.dispose();
      await environmentsStarting?.then(
        (service) => service.dispose(),
        () => undefined,
      );
      await capacityViews?.then(
        (views) => views.dispose(),
        () => undefined,
      );
    },
  };
}
