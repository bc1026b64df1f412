/**
 * Which kubeconfig files a request from the GUI may name. A kubeconfig can run
 * a program as the user (an exec plugin), so over the preview's HTTP bridge,
 * where anyone holding the preview token can call, and over IPC alike, a path
 * is taken only when it is:
 * - not named at all (KUBECONFIG, ~/.kube/config, the site profile's: the
 *   user's own setup);
 * - one the user chose in the app: Electron's file dialog, or in the preview a
 *   path typed in Review and loaded, its exec programs shown and confirmed
 *   (kube.chooseKubeconfig), remembered per user;
 * - one an environment already runs with (chosen so before, or given to afp).
 * And only while the file belongs to the user (or root) and no one else can
 * change it or swap it in its folder: another local user cannot plant one.
 * A site profile chosen from the GUI must pass the same ownership rule: it
 * names the issuer and IM the token goes to, and the default kubeconfig.
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Dispatch } from '../bridge/dispatch';
import type { Handlers, RequestContext } from '../bridge/handlers';
import { AfpError, toApiError } from '../errors';
import type { KeyValueStore } from '../store/key-value-store';

/** The part of the shell's Host (app/host.ts) the choices use: its file dialog, if any, and its stores. */
export interface ChoiceHost {
  chooseFile?(suggested: string | undefined): Promise<string | undefined>;
  openStore(name: string): KeyValueStore;
}

/** The part of the app (app.ts) the gate wraps. */
export interface GatedApp {
  dispatch: Dispatch;
  handlers: Pick<Handlers, 'environments.list'>;
}

const STORE = 'kubeconfig-choices';
const KEY = 'files';
/** The file the GUI uses when a request names none: the user's last choice, kept across restarts. */
const CURRENT = 'current';
const GATED: ReadonlySet<RequestContext['via']> = new Set(['http', 'ipc']);

/** Why `file` could be changed by someone other than the user (or root), or undefined when it cannot. */
export function foreignWriteProblem(file: string, uid = process.getuid?.()): string | undefined {
  if (uid === undefined) return undefined;
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return `${file} does not exist.`;
  }
  const own = (stats: Stats): boolean => stats.uid === uid || stats.uid === 0;
  const fileStats = statSync(real);
  if (!fileStats.isFile()) return `${file} is not a file.`;
  if (!own(fileStats)) return `${file} belongs to another user.`;
  if ((fileStats.mode & 0o022) !== 0) return `other users can change it: ${file} is writable by its group or by everyone.`;
  const folder = statSync(path.dirname(real));
  const sticky = (folder.mode & 0o1000) !== 0;
  if (!sticky && (!own(folder) || (folder.mode & 0o022) !== 0))
    return `other users can change it: its folder ${path.dirname(real)} lets others replace the file.`;
  return undefined;
}

export class KubeconfigChoices {
  constructor(private readonly store: KeyValueStore) {}

  list(): string[] {
    const files = this.store.get(KEY);
    return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
  }

  remember(file: string): void {
    const absolute = path.resolve(file);
    if (!this.list().includes(absolute)) this.store.set(KEY, [...this.list(), absolute]);
    this.store.set(CURRENT, absolute);
  }

  /** The kubeconfig the user chose last, while it is still one of the chosen files. */
  current(): string | undefined {
    const file = this.store.get(CURRENT);
    return typeof file === 'string' && this.list().includes(file) ? file : undefined;
  }

  /** Back to the default (the site profile's, KUBECONFIG, ~/.kube/config); the file stays allowed. */
  forgetCurrent(): void {
    this.store.delete(CURRENT);
  }
}

/** The GUI's kubeconfig choices in the host's store. */
export function openKubeconfigChoices(host: Pick<ChoiceHost, 'openStore'>): KubeconfigChoices {
  return new KubeconfigChoices(host.openStore(STORE));
}

export interface ChooseKubeconfigInput {
  kubeconfig?: string | undefined;
  confirmExec?: boolean | undefined;
  /** Use the default kubeconfig again instead of a chosen file. */
  useDefault?: boolean | undefined;
}

export interface ChooseKubeconfigOutput {
  /** Absent: nothing chosen yet (dialog cancelled, or exec programs to confirm first). */
  kubeconfig?: string;
  /** The file picked in the dialog whose programs are to be confirmed (send it back with confirmExec). */
  pending?: string;
  /** The programs the file's users run to get credentials. */
  execCommands: string[];
}

/** Files picked in a host's dialog whose exec programs await the user's confirmation: confirming does not open the dialog again. */
const awaitingConfirmation = new WeakMap<ChoiceHost, Set<string>>();

/** kube.chooseKubeconfig: the desktop's file dialog where there is one, else the typed path, checked and remembered. */
export async function chooseKubeconfig(input: ChooseKubeconfigInput, host: ChoiceHost): Promise<ChooseKubeconfigOutput> {
  if (input.useDefault === true) {
    openKubeconfigChoices(host).forgetCurrent();
    return { execCommands: [] };
  }
  const awaiting = awaitingConfirmation.get(host) ?? new Set<string>();
  awaitingConfirmation.set(host, awaiting);
  const typed = input.kubeconfig === undefined || input.kubeconfig === '' ? undefined : path.resolve(input.kubeconfig);
  const confirming = input.confirmExec === true && typed !== undefined && awaiting.has(typed);
  const picked = host.chooseFile === undefined || confirming ? typed : await host.chooseFile(input.kubeconfig);
  if (picked === undefined || picked === '') {
    if (host.chooseFile === undefined) throw new AfpError('invalid_input', 'Type the path of a kubeconfig file first.');
    return { execCommands: [] };
  }
  const file = path.resolve(picked);
  const problem = foreignWriteProblem(file);
  if (problem !== undefined) throw new AfpError('forbidden', `This kubeconfig cannot be used: ${problem}`, { file });
  // Loaded on first use: not on the path to the first paint (and the summaries need no Kubernetes client).
  const { readKubeconfig } = await import('../kube/kubeconfig-read');
  const execCommands = [...new Set(readKubeconfig({ file }).contexts.flatMap((c) => (c.execCommand === undefined ? [] : [c.execCommand])))];
  if (execCommands.length > 0 && input.confirmExec !== true) {
    if (host.chooseFile !== undefined) awaiting.add(file);
    return { pending: file, execCommands };
  }
  awaiting.delete(file);
  openKubeconfigChoices(host).remember(file);
  return { kubeconfig: file, execCommands };
}

/** Every string under a `kubeconfig` key of a request's input (template values are parameters, not paths: skipped). */
function namedKubeconfigs(input: unknown, found: string[] = []): string[] {
  if (Array.isArray(input)) for (const item of input) namedKubeconfigs(item, found);
  else if (input !== null && typeof input === 'object')
    for (const [key, value] of Object.entries(input)) {
      if (key === 'kubeconfig' && typeof value === 'string' && value !== '') found.push(value);
      else if (key !== 'values') namedKubeconfigs(value, found);
    }
  return found;
}

function profileFileOf(input: unknown): string | undefined {
  const file = input !== null && typeof input === 'object' ? (input as { file?: unknown }).file : undefined;
  return typeof file === 'string' && file !== '' ? path.resolve(file) : undefined;
}

/** The app's dispatch, refusing GUI requests that name a kubeconfig the user did not choose. */
export function gateKubeconfigs(app: GatedApp, host: ChoiceHost): Dispatch {
  const choices = openKubeconfigChoices(host);
  const recorded = async (context: RequestContext): Promise<string[]> => {
    const { environments } = await app.handlers['environments.list']({}, context);
    return environments.flatMap((e) => (e.target.kubeconfig === undefined ? [] : [path.resolve(e.target.kubeconfig)]));
  };
  return async (name, input, context) => {
    if (!GATED.has(context.via) || name === 'kube.chooseKubeconfig') return app.dispatch(name, input, context);
    // A site profile decides where the token goes (issuer, IM) and which kubeconfig is the default: one someone else could write is refused.
    const profile = name === 'profile.choose' ? profileFileOf(input) : undefined;
    const profileProblem = profile === undefined ? undefined : foreignWriteProblem(profile);
    if (profile !== undefined && profileProblem !== undefined)
      return {
        ok: false,
        error: toApiError(new AfpError('forbidden', `The site profile ${profile} is refused: ${profileProblem}`, { file: profile })),
      };
    for (const named of namedKubeconfigs(input)) {
      const file = path.resolve(named);
      const chosen = choices.list().includes(file) || (await recorded(context)).includes(file);
      const problem = chosen
        ? foreignWriteProblem(file)
        : 'it was not chosen in the app (Load it on the Review page, where its programs are shown first).';
      if (problem !== undefined)
        return { ok: false, error: toApiError(new AfpError('forbidden', `The kubeconfig ${file} is refused: ${problem}`, { file })) };
    }
    return app.dispatch(name, input, context);
  };
}
