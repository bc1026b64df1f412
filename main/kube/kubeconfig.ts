/**
 * Kubeconfigs as kubectl reads them: a chosen file, else every file of
 * KUBECONFIG merged in order, else ~/.kube/config. Errors name the file and the
 * context. Users whose exec plugin is `afp` (our own `afp kube-token`) are served
 * the signed-in session's token in-process instead of spawning the CLI.
 */
import { KubeConfig, type Context, type User } from '@kubernetes/client-node';
import { say } from '../messages/message';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AfpError } from '../errors';
import { sessionAuthenticator, SESSION_AUTH_PROVIDER, type SessionTokenSource } from './session-auth';

export type AuthKind = 'client-certificate' | 'token' | 'exec' | 'afp-session' | 'auth-provider' | 'basic' | 'none';

export interface ContextSummary {
  name: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
  auth: AuthKind;
  /** The exec plugin's program, for messages ("kubelogin not found"). */
  execCommand?: string;
  insecureSkipTlsVerify: boolean;
}

export interface LoadedKubeconfig {
  files: string[];
  currentContext: string;
  contexts: ContextSummary[];
  /** Things the user should know, e.g. TLS verification switched off. */
  warnings: string[];
  /** A client configuration for one context (default: the current one). */
  forContext(name?: string, session?: SessionTokenSource): KubeConfig;
}

/** Where the kubeconfig was looked for: a file named (flag, the app's choice, the profile), KUBECONFIG, or the default path. */
export type KubeconfigOrigin = 'named' | 'env' | 'default';

/**
 * No kubeconfig file exists where one was looked for. The message names the
 * path(s); each surface adds what its user can do next (the CLI's flags, the
 * GUI's chooser), so it is a class of its own rather than a message to parse.
 */
export class NoKubeconfigError extends AfpError {
  constructor(
    readonly files: string[],
    readonly origin: KubeconfigOrigin,
  ) {
    const id = origin === 'env' ? 'kubeconfig.missingEnv' : origin === 'default' ? 'kubeconfig.missingDefault' : 'kubeconfig.missing';
    super('invalid_kubeconfig', say(id, { files: files.join(path.delimiter) }));
    this.name = 'NoKubeconfigError';
  }
}

export function kubeconfigOrigin(chosen: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeconfigOrigin {
  if (chosen !== undefined && chosen !== '') return 'named';
  return (env.KUBECONFIG ?? '').split(path.delimiter).some((f) => f !== '') ? 'env' : 'default';
}

export function kubeconfigFiles(chosen: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (chosen !== undefined && chosen !== '') return [path.resolve(chosen)];
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter((f) => f !== '');
  if (fromEnv.length > 0) return fromEnv.map((f) => path.resolve(f));
  return [path.join(os.homedir(), '.kube', 'config')];
}

export function loadKubeconfig(options: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {}): LoadedKubeconfig {
  const files = kubeconfigFiles(options.file, options.env);
  const merged = new KubeConfig();
  let loadedAny = false;
  for (const file of files) {
    if (!existsSync(file)) {
      // kubectl skips missing KUBECONFIG entries; a file named explicitly must exist.
      if (files.length === 1) throw new NoKubeconfigError(files, kubeconfigOrigin(options.file, options.env));
      continue;
    }
    const single = new KubeConfig();
    const text = readFileSync(file, 'utf8');
    // client-node reads an empty or non-mapping file as "Cannot read properties of undefined".
    if (!isMapping(text))
      throw new AfpError('invalid_kubeconfig', say('kubeconfig.notAMapping'), {
        file,
        line: 1,
      });
    try {
      single.loadFromString(text);
    } catch (error) {
      throw new AfpError('invalid_kubeconfig', `Not a usable kubeconfig: ${error instanceof Error ? error.message : String(error)}`, {
        file,
      });
    }
    single.makePathsAbsolute(path.dirname(file));
    merged.mergeConfig(single, loadedAny);
    loadedAny = true;
  }
  if (!loadedAny) throw new NoKubeconfigError(files, kubeconfigOrigin(options.file, options.env));
  const where = files.join(path.delimiter);
  const contexts = merged.getContexts().map((context) => summarize(merged, context, where));
  const warnings = contexts
    .filter((c) => c.insecureSkipTlsVerify)
    .map((c) => `Context "${c.name}" skips TLS verification (insecure-skip-tls-verify): the API server's identity is not checked.`);

  // client-node answers undefined (despite its type) when the file sets no current-context.
  const current: string | undefined = merged.getCurrentContext();
  return {
    files,
    currentContext: current ?? '',
    contexts,
    warnings,
    forContext(name = merged.getCurrentContext(), session) {
      return configForContext(merged, name, where, session);
    },
  };
}

function summarize(kc: KubeConfig, context: Context, where: string): ContextSummary {
  const cluster = kc.getCluster(context.cluster);
  const user = kc.getUser(context.user);
  const summary: ContextSummary = {
    name: context.name,
    cluster: context.cluster,
    server: cluster?.server ?? '',
    user: context.user,
    auth: authKind(user),
    insecureSkipTlsVerify: cluster?.skipTLSVerify === true,
  };
  if (context.namespace !== undefined) summary.namespace = context.namespace;
  const execCommand = execCommandOf(user);
  if (execCommand !== undefined) summary.execCommand = execCommand;
  if (cluster === null) summary.server = `(missing cluster ${shown(context.cluster)} in ${where})`;
  return summary;
}

/** client-node types exec and authProvider as any: read them through a typed view. */
function execCommandOf(user: User | null): string | undefined {
  const command = (user?.exec as { command?: unknown } | undefined)?.command;
  return typeof command === 'string' ? command : undefined;
}

function isSessionExec(user: User | null): boolean {
  const command = execCommandOf(user);
  return typeof command === 'string' && /^afp(\.cmd|\.mjs)?$/.test(path.basename(command));
}

function authKind(user: User | null): AuthKind {
  if (user === null) return 'none';
  if (isSessionExec(user)) return 'afp-session';
  if (user.exec !== undefined) return 'exec';
  if (user.authProvider !== undefined) return 'auth-provider';
  if (user.certData !== undefined || user.certFile !== undefined) return 'client-certificate';
  if (user.token !== undefined) return 'token';
  if (user.username !== undefined) return 'basic';
  return 'none';
}

function configForContext(merged: KubeConfig, name: string, where: string, session: SessionTokenSource | undefined): KubeConfig {
  if ((name as string | undefined) === undefined || name === '') {
    throw new AfpError('invalid_kubeconfig', say('kubeconfig.noCurrentContext'), {
      file: where,
      field: 'current-context',
    });
  }
  const context = merged.getContextObject(name);
  if (context === null) throw new AfpError('not_found', say('kubeconfig.noContext', { name }), { file: where, field: 'contexts' });
  const cluster = merged.getCluster(context.cluster);
  if (cluster === null)
    throw new AfpError('invalid_kubeconfig', `Context "${name}" ${names('cluster', context.cluster)}.`, { file: where });
  let user = merged.getUser(context.user);
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

/** A name as the file wrote it: client-node does not check that names are strings, or that they are there. */
function shown(value: unknown): string {
  return JSON.stringify(value) ?? 'nothing';
}

function names(kind: 'cluster' | 'user', value: unknown): string {
  return value === undefined || value === null || value === '' ? `names no ${kind}` : `names ${kind} ${shown(value)}, which is not defined`;
}

function isMapping(text: string): boolean {
  try {
    const value: unknown = parseYaml(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return true; // a syntax error: client-node's message names it
  }
}
