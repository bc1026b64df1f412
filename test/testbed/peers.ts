/**
 * The servers of the bed that live in their own folders (idp/, im/,
 * dispatcher/): their start functions as this orchestrator calls them. They
 * are loaded only when present, so the Kubernetes side works on its own.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ca } from './ca';
import type { ManagedProcess } from './process';

export interface IdpUser {
  username: string;
  password: string;
  groups: string[];
}

export interface Idp {
  issuer: string;
  clientId: string;
  users: IdpUser[];
  /** When the server is a child process: lets the bed list and restart it. */
  process?: ManagedProcess;
  stop(): Promise<void>;
}

export interface UrlServer {
  url: string;
  process?: ManagedProcess;
  stop(): Promise<void>;
}

/** `marker`: the bed folder, put in each child's environment so `down` can find every process (process.ts). */
export type StartIdp = (opts: { ca: Ca; dir: string; logDir: string; marker?: string }) => Promise<Idp>;
export type StartIm = (opts: {
  ca: Ca;
  dir: string;
  logDir: string;
  marker?: string;
  issuer: string;
  apiServerUrl: string;
  adminToken?: string;
}) => Promise<UrlServer>;
export type StartDispatcher = (opts: {
  ca: Ca;
  logDir: string;
  marker?: string;
  imUrl: string;
  issuer: string;
  kube: { host: string; token: string };
}) => Promise<UrlServer>;

const MODULES = {
  idp: './idp/index.ts',
  im: './im/index.ts',
  dispatcher: './dispatcher/index.ts',
} as const;

export type Peer = keyof typeof MODULES;

export function peerAvailable(peer: Peer): boolean {
  return existsSync(fileURLToPath(new URL(MODULES[peer], import.meta.url)));
}

export async function loadIdp(): Promise<StartIdp> {
  return loadFunction<StartIdp>('idp', 'startIdp');
}

export async function loadIm(): Promise<StartIm> {
  return loadFunction<StartIm>('im', 'startIm');
}

export async function loadDispatcher(): Promise<StartDispatcher> {
  return loadFunction<StartDispatcher>('dispatcher', 'startDispatcher');
}

async function loadFunction<T>(peer: Peer, name: string): Promise<T> {
  const specifier = new URL(MODULES[peer], import.meta.url).href;
  const module = (await import(specifier)) as Record<string, unknown>;
  const start = module[name];
  if (typeof start !== 'function') throw new Error(`${MODULES[peer]} does not export ${name}()`);
  return start as T;
}
