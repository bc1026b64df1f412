/**
 * The site's logo as the renderer can show it: a data:image URL. The renderer
 * loads nothing from disk (CSP `default-src 'self'`), so a logo file named by
 * the profile is read here, once per view; a file too large or of a kind that
 * is not an image is left out rather than shown broken.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MAX_BYTES = 512 * 1024;
const TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

export function logoDataUrl(logo: string | undefined): string | undefined {
  if (logo === undefined) return undefined;
  if (logo.startsWith('data:')) return logo;
  const type = TYPES[path.extname(logo).toLowerCase()];
  if (type === undefined) return undefined;
  try {
    if (statSync(logo).size > MAX_BYTES) return undefined;
    return `data:${type};base64,${readFileSync(logo).toString('base64')}`;
  } catch {
    return undefined;
  }
}
