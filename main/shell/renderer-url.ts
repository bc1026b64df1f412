/**
 * Which page the Electron window loads: the renderer file shipped with the
 * app, or, in a development run only (electron-vite dev, unpackaged), the dev
 * server's address from ELECTRON_RENDERER_URL. A packaged app ignores the
 * variable, so nobody can point an installed app at a page of their own (and
 * hand it the contract) through the environment.
 */
export function rendererUrlFor(options: { isPackaged: boolean; env: NodeJS.ProcessEnv; packagedFile: string }): string {
  const devServer = options.env.ELECTRON_RENDERER_URL;
  return !options.isPackaged && devServer !== undefined && devServer !== '' ? devServer : options.packagedFile;
}
