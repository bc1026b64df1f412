import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** Resolves a URL path inside `root` only; anything escaping it, or missing, falls back to index.html. */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  const decoded = safeDecode(urlPath);
  const wanted = path.resolve(root, `.${decoded === '/' ? '/index.html' : decoded}`);
  const inside = wanted === root || wanted.startsWith(root + path.sep);
  const file = inside && (await isFile(wanted)) ? wanted : path.join(root, 'index.html');
  if (!(await isFile(file))) return undefined;
  return { body: await readFile(file), contentType: MIME[path.extname(file)] ?? 'application/octet-stream' };
}

function safeDecode(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return '/';
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
