/**
 * The servers of the bed that live in their own folders and are not there
 * yet (im/, dispatcher/): their start functions as this orchestrator calls
 * them, loaded only when present, so the rest of the bed works without them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ca } from './ca';
import type { ManagedProcess } from './process';

export interface UrlServer {
  url: string;
  process?: ManagedProcess;
  stop(): Promise<void>;
}

/** `marker`: the bed folder, put in each child's environment so `down` can find every process (process.ts). */
export type StartIm = (opts: { ca: Ca; dir: string; logDir: string; marker?: string; issuer: string }) => Promise<UrlServer>;
export type StartDispatcher = (opts: { ca: Ca; logDir: string; marker?: string; imUrl: string; issuer: string }) => Promise<UrlServer>;

/** Where each peer's start function may live (the first file that exists wins). */
const MODULES = {
  im: ['./im/index.ts', './im/start.ts'],
  dispatcher: ['./dispatcher/index.ts'],
} as const;

export type Peer = keyof typeof MODULES;

function modulePath(peer: Peer): URL | undefined {
  return MODULES[peer].map((candidate) => new URL(candidate, import.meta.url)).find((url) => existsSync(fileURLToPath(url)));
}

export function peerAvailable(peer: Peer): boolean {
  return modulePath(peer) !== undefined;
}

export async function loadIm(): Promise<StartIm> {
  return loadFunction<StartIm>('im', 'startIm');
}

export async function loadDispatcher(): Promise<StartDispatcher> {
  return loadFunction<StartDispatcher>('dispatcher', 'startDispatcher');
}

async function loadFunction<T>(peer: Peer, name: string): Promise<T> {
  const url = modulePath(peer);
  if (url === undefined) throw new Error(`none of ${MODULES[peer].join(', ')} exists in test/testbed`);
  const module = (await import(url.href)) as Record<string, unknown>;
  const start = module[name];
  if (typeof start !== 'function') throw new Error(`${fileURLToPath(url)} does not export ${name}()`);
  return start as T;
}
