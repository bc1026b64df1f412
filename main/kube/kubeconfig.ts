/**
 * A client configuration for one context of the kubeconfig in force (read by
 * kubeconfig-read.ts, which the Catalogue uses alone). Errors name the file and
 * the context. Users whose exec plugin is `afp` (our own `afp kube-token`) are
 * served the signed-in session's token in-process instead of spawning the CLI.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { say } from '../messages/message';
import { AfpError } from '../errors';
import { entryNamed, isSessionExec, readKubeconfig, shown, type KubeconfigEntries, type ReadKubeconfig } from './kubeconfig-read';
import { sessionAuthenticator, SESSION_AUTH_PROVIDER, type SessionTokenSource } from './session-auth';

export {
  kubeconfigFiles,
  kubeconfigOrigin,
  NoKubeconfigError,
  type AuthKind,
  type ContextSummary,
  type KubeconfigOrigin,
} from './kubeconfig-read';

export interface LoadedKubeconfig extends Omit<ReadKubeconfig, 'where' | 'entries'> {
  /** A client configuration for one context (default: the current one). */
  forContext(name?: string, session?: SessionTokenSource): KubeConfig;
}

export function loadKubeconfig(options: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {}): LoadedKubeconfig {
  const { where, entries, ...read } = readKubeconfig(options);
  return {
    ...read,
    forContext(name = entries.currentContext, session) {
      return configForContext(entries, name, where, session);
    },
  };
}

function configForContext(
  entries: KubeconfigEntries,
  name: string | undefined,
  where: string,
  session: SessionTokenSource | undefined,
): KubeConfig {
  if (name === undefined || name === '') {
    throw new AfpError('invalid_kubeconfig', say('kubeconfig.noCurrentContext'), {
      file: where,
      field: 'current-context',
    });
  }
  const context = entryNamed(entries.contexts, name);
  if (context === null) throw new AfpError('not_found', say('kubeconfig.noContext', { name }), { file: where, field: 'contexts' });
  const cluster = entryNamed(entries.clusters, context.cluster);
  if (cluster === null)
    throw new AfpError('invalid_kubeconfig', `Context "${name}" ${names('cluster', context.cluster)}.`, { file: where });
  let user = entryNamed(entries.users, context.user);
  if (user === null) throw new AfpError('invalid_kubeconfig', `Context "${name}" ${names('user', context.user)}.`, { file: where });
  const kc = new KubeConfig();
  if (isSessionExec(user)) {
    if (session === undefined) throw new AfpError('unauthorized', say('kubeconfig.signInFirst', { name }), { file: where });
    // Replace the exec plugin by our in-process provider: no child process, the live session token.
    user = { name: user.name, authProvider: { name: SESSION_AUTH_PROVIDER, config: {} } };
    kc.addAuthenticator(sessionAuthenticator(session));
  }
  kc.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [{ ...context, name }],
    currentContext: name,
  });
  return kc;
}

function names(kind: 'cluster' | 'user', value: unknown): string {
  return value === undefined || value === null || value === '' ? `names no ${kind}` : `names ${kind} ${shown(value)}, which is not defined`;
}
