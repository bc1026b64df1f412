/**
 * Which clusters the GUI can deploy to, as Lens and Headlamp show them on
 * first run: the kubeconfig in force (a file named in the request, the one
 * chosen in the app, the site profile's, KUBECONFIG, ~/.kube/config), its
 * contexts marked allowed or not by the site profile's list, and the one to
 * offer first. A missing or broken file is an answer, not an error: the pages
 * say what to do next instead of failing.
 */
import { toApiError, type ApiErrorShape } from '../errors';
import type { KubeContextsView } from '../contract/kube';
import { kubeconfigFiles, kubeconfigOrigin, NoKubeconfigError, readKubeconfig } from '../kube/kubeconfig-read';
import { contextAllowed } from '../site/kube-contexts';
import type { SiteProfile } from '../site/profile-schema';

export interface ClusterSources {
  /** A file named in the request. */
  kubeconfig?: string | undefined;
  /** The file the user chose in the app (shell/kubeconfig-choices). */
  chosen?: string | undefined;
  profile?: SiteProfile | undefined;
  /** Why the chosen file cannot be used now (someone else can write it since it was chosen). */
  chosenProblem?: ApiErrorShape | undefined;
  env?: NodeJS.ProcessEnv;
}

/** The kubeconfig a GUI request uses when it names none: the user's choice, else the site profile's, else kubectl's rules. */
export function defaultKubeconfig(sources: Pick<ClusterSources, 'chosen' | 'profile'>): string | undefined {
  return sources.chosen ?? sources.profile?.targets?.kube?.kubeconfig;
}

export function kubeClusters(sources: ClusterSources): KubeContextsView {
  const env = sources.env ?? process.env;
  const named = sources.kubeconfig !== undefined && sources.kubeconfig !== '' ? sources.kubeconfig : undefined;
  const file = named ?? defaultKubeconfig(sources);
  const origin: KubeContextsView['origin'] =
    named !== undefined
      ? 'named'
      : sources.chosen !== undefined
        ? 'chosen'
        : file !== undefined
          ? 'profile'
          : kubeconfigOrigin(undefined, env) === 'env'
            ? 'env'
            : 'default';
  const base: Omit<KubeContextsView, 'state'> = {
    origin,
    files: kubeconfigFiles(file, env),
    chosen: sources.chosen,
    currentContext: '',
    contexts: [],
    warnings: [],
  };
  if (origin === 'chosen' && sources.chosenProblem !== undefined) return { ...base, state: 'broken', problem: sources.chosenProblem };
  let loaded: ReturnType<typeof readKubeconfig>;
  try {
    loaded = readKubeconfig({ file, env });
  } catch (error) {
    return { ...base, state: error instanceof NoKubeconfigError ? 'missing' : 'broken', problem: toApiError(error) };
  }
  const contexts = loaded.contexts.map((context) => ({ ...context, allowed: contextAllowed(sources.profile, context.name) }));
  const current = contexts.find((c) => c.name === loaded.currentContext && c.allowed);
  const preselected = current?.name ?? contexts.find((c) => c.allowed)?.name;
  return {
    ...base,
    state: 'ready',
    files: loaded.files,
    currentContext: loaded.currentContext,
    contexts,
    preselected,
    warnings: loaded.warnings,
  };
}
