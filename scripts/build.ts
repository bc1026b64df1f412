import { build } from 'electron-vite';

/** Builds main, preload and renderer into out/ (quietly: the caller says what it is doing). */
export async function buildApp(): Promise<void> {
  await build({ logLevel: 'warn' });
}
