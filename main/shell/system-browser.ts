/**
 * Opens a web address (or a local page of ours) in the user's browser, for the
 * browser preview and the CLI (the Electron app uses shell.openExternal).
 * The address is handed to the opener as one argument, never through a
 * shell: on Windows `cmd /c start` would read '&' in a URL (every sign-in URL
 * has one) as the start of another command, so rundll32's
 * url.dll,FileProtocolHandler (ShellExecute, as Go's pkg/browser does) takes it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

export interface Opener {
  command: string;
  args: string[];
}

const OPENABLE = new Set(['http:', 'https:', 'file:']);

/** The program and arguments that open `target` on `platform`, or undefined when `target` is not an http(s) or file URL. */
export function systemOpener(target: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Opener | undefined {
  if (!URL.canParse(target) || !OPENABLE.has(new URL(target).protocol)) return undefined;
  if (platform === 'darwin') return { command: 'open', args: [target] };
  if (platform === 'win32') {
    const system32 = path.win32.join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32');
    return { command: path.win32.join(system32, 'rundll32.exe'), args: ['url.dll,FileProtocolHandler', target] };
  }
  return { command: 'xdg-open', args: [target] };
}

/** True where a graphical session exists to show a browser in. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(env.DISPLAY ?? env.WAYLAND_DISPLAY);
}

/**
 * AFP_BROWSER names a program to open links with instead of the system's (it
 * gets the URL as its one argument, never through a shell): a person's choice
 * of browser, and how tests watch what would be opened.
 */
export const BROWSER_VARIABLE = 'AFP_BROWSER';

/** Opens `target` where there is a display (or with AFP_BROWSER); false when there is none, the target is refused, or the opener failed. */
export function openInSystemBrowser(target: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const chosen = env[BROWSER_VARIABLE];
  const opener =
    chosen !== undefined && chosen !== '' && systemOpener(target, process.platform, env) !== undefined
      ? { command: chosen, args: [target] }
      : hasDisplay(env)
        ? systemOpener(target, process.platform, env)
        : undefined;
  if (opener === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile(opener.command, opener.args, { windowsHide: true }, (error) => resolve(error === null));
  });
}
