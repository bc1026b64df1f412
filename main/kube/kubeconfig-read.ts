/**
 * Kubeconfigs read as kubectl reads them, without the Kubernetes client: a
 * chosen file, else every file of KUBECONFIG merged in order, else
 * ~/.kube/config, summarised per context. The Catalogue's cluster status and
 * the kubeconfig chooser only need these summaries, and loading
 * `@kubernetes/client-node` for them cost the app about 50 MB at rest.
 * Entries are parsed by client-node's own entry readers (config_types.js, which
 * imports nothing heavy) and js-yaml, as its KubeConfig.loadFromString does, so
 * kubeconfig.ts builds its client configuration from exactly these entries.
 */
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { newClusters, newContexts, newUsers } from '@kubernetes/client-node/dist/config_types.js';
import { load as loadYaml } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AfpError } from '../errors';
import { say } from '../messages/message';

export type { Cluster, Context, User };

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

/** The merged entries of the files, in client-node's shapes (first file's entries first). */
export interface KubeconfigEntries {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  /** Undefined when no file sets current-context. */
  currentContext: string | undefined;
}

export interface ReadKubeconfig {
  files: string[];
  /** The files joined as KUBECONFIG joins them, for error details. */
  where: string;
  currentContext: string;
  contexts: ContextSummary[];
  /** Things the user should know, e.g. TLS verification switched off. */
  warnings: string[];
  entries: KubeconfigEntries;
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

/** An entry of `list` by name, as client-node's findObject finds it. */
export function entryNamed<T extends { name: string }>(list: T[], name: string): T | null {
  return list.find((entry) => entry.name === name) ?? null;
}

export function readKubeconfig(options: { file?: string | undefined; env?: NodeJS.ProcessEnv } = {}): ReadKubeconfig {
  const files = kubeconfigFiles(options.file, options.env);
  const merged: KubeconfigEntries = { clusters: [], users: [], contexts: [], currentContext: undefined };
  let loadedAny = false;
  for (const file of files) {
    if (!existsSync(file)) {
      // kubectl skips missing KUBECONFIG entries; a file named explicitly must exist.
      if (files.length === 1) throw new NoKubeconfigError(files, kubeconfigOrigin(options.file, options.env));
      continue;
    }
    const text = readFileSync(file, 'utf8');
    // client-node reads an empty or non-mapping file as "Cannot read properties of undefined".
    if (!isMapping(text))
      throw new AfpError('invalid_kubeconfig', say('kubeconfig.notAMapping'), {
        file,
        line: 1,
      });
    let single: KubeconfigEntries;
    try {
      single = parseEntries(text);
    } catch (error) {
      throw new AfpError('invalid_kubeconfig', `Not a usable kubeconfig: ${error instanceof Error ? error.message : String(error)}`, {
        file,
      });
    }
    makePathsAbsolute(single, path.dirname(file));
    mergeEntries(merged, single, loadedAny);
    loadedAny = true;
  }
  if (!loadedAny) throw new NoKubeconfigError(files, kubeconfigOrigin(options.file, options.env));
  const where = files.join(path.delimiter);
  const contexts = merged.contexts.map((context) => summarize(merged, context, where));
  const warnings = contexts
    .filter((c) => c.insecureSkipTlsVerify)
    .map((c) => `Context "${c.name}" skips TLS verification (insecure-skip-tls-verify): the API server's identity is not checked.`);
  return { files, where, currentContext: merged.currentContext ?? '', contexts, warnings, entries: merged };
}

/** KubeConfig.loadFromString's reading: js-yaml, then client-node's entry readers (which throw on an invalid entry). */
function parseEntries(text: string): KubeconfigEntries {
  const document = loadYaml(text) as Record<string, unknown>;
  return {
    clusters: newClusters(document.clusters),
    contexts: newContexts(document.contexts),
    users: newUsers(document.users),
    // Kept as the file holds it, as client-node keeps it (entry names are not checked to be strings either).
    currentContext: document['current-context'] as string | undefined,
  };
}

/** KubeConfig.makePathsAbsolute: file references relative to the kubeconfig's own folder. */
function makePathsAbsolute(entries: KubeconfigEntries, root: string): void {
  const absolute = (file: string): string => (path.isAbsolute(file) ? file : path.join(root, file));
  for (const cluster of entries.clusters) if (cluster.caFile) cluster.caFile = absolute(cluster.caFile);
  for (const user of entries.users) {
    if (user.certFile) user.certFile = absolute(user.certFile);
    if (user.keyFile) user.keyFile = absolute(user.keyFile);
  }
}

/** KubeConfig.mergeConfig: a later file adds entries (a name defined twice is refused, as client-node refuses it). */
function mergeEntries(into: KubeconfigEntries, from: KubeconfigEntries, preserveContext: boolean): void {
  if (!preserveContext && from.currentContext) into.currentContext = from.currentContext;
  const add = <T extends { name: string }>(list: T[], entry: T, kind: string): void => {
    if (list.some((existing) => existing.name === entry.name)) throw new Error(`Duplicate ${kind}: ${entry.name}`);
    list.push(entry);
  };
  for (const cluster of from.clusters) add(into.clusters, cluster, 'cluster');
  for (const user of from.users) add(into.users, user, 'user');
  for (const context of from.contexts) add(into.contexts, context, 'context');
}

function summarize(entries: KubeconfigEntries, context: Context, where: string): ContextSummary {
  const cluster = entryNamed(entries.clusters, context.cluster);
  const user = entryNamed(entries.users, context.user);
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

/** The user runs `afp kube-token`: the app serves the signed-in session's token in-process instead. */
export function isSessionExec(user: User | null): boolean {
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

/** A name as the file wrote it: client-node does not check that names are strings, or that they are there. */
export function shown(value: unknown): string {
  return JSON.stringify(value) ?? 'nothing';
}

function isMapping(text: string): boolean {
  try {
    const value: unknown = parseYaml(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return true; // a syntax error: js-yaml's message names it
  }
}
