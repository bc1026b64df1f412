/**
 * Opening the preview in the browser without putting its token on a command
 * line (every local user can read /proc/<pid>/cmdline): like Jupyter, the
 * opener gets a redirect file, 0600 in the 0700 app data folder, that sends
 * the browser on to the preview's URL with the token. The file is removed when
 * the preview stops.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRODUCT_NAME } from '../paths';
import { keepPrivate, PRIVATE_FILE_MODE } from '../store/private-files';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function redirectPage(url: string): string {
  const href = escapeHtml(url);
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}">` +
    `<title>${PRODUCT_NAME}</title></head><body><p>Opening <a href="${href}">${PRODUCT_NAME}</a>…</p></body></html>\n`
  );
}

export interface RedirectFile {
  /** What the opener gets: a file:// URL with no secret in it. */
  url: string;
  remove(): void;
}

/** Writes `<dir>/preview-<pid>-open.html` (0600, folder 0700) redirecting to `url`. */
export function writeRedirectFile(dir: string, url: string): RedirectFile {
  keepPrivate(dir);
  const file = path.join(dir, `preview-${process.pid}-open.html`);
  rmSync(file, { force: true });
  writeFileSync(file, redirectPage(url), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return { url: pathToFileURL(file).href, remove: () => rmSync(file, { force: true }) };
}
