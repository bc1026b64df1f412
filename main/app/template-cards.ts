import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { TemplateCard, TemplateErrorCard } from '../contract/catalogue';

/**
 * Catalogue cards for every template file in the folders (later folders
 * override earlier by name). A file that fails to load becomes an error card
 * and the others still list.
 */
export async function listTemplateCards(dirs: string[]): Promise<{ templates: TemplateCard[]; errors: TemplateErrorCard[] }> {
  const byName = new Map<string, TemplateCard>();
  const errors: TemplateErrorCard[] = [];
  for (const [index, dir] of dirs.entries()) {
    for (const file of await yamlFiles(dir)) {
      const text = await readFile(file, 'utf8');
      const lines = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lines });
      const first = doc.errors[0];
      if (first !== undefined) {
        const line = lines.linePos(first.pos[0]).line;
        errors.push({ file, error: { code: 'invalid_template', message: first.message.split('\n')[0] ?? 'YAML error', file, ...(line === undefined ? {} : { line }) } });
        continue;
      }
      const value = doc.toJS() as { kind?: unknown; metadata?: Record<string, unknown>; components?: unknown };
      if (value?.kind !== 'Template') continue;
      const meta = value.metadata ?? {};
      const name = asText(meta.name) ?? path.basename(file, path.extname(file));
      byName.set(name, {
        name,
        title: asText(meta.title) ?? name,
        description: asText(meta.description) ?? '',
        version: asText(meta.version) ?? '',
        ...(typeof meta.icon === 'string' ? { icon: meta.icon } : {}),
        components: componentNames(value.components),
        source: index === 0 ? 'built-in' : 'site',
        file,
      });
    }
  }
  return { templates: [...byName.values()], errors };
}

function componentNames(components: unknown): string[] {
  if (Array.isArray(components)) return components.map((c: { name?: unknown }) => asText(c?.name) ?? '').filter(Boolean);
  if (components !== null && typeof components === 'object') return Object.keys(components);
  return [];
}

async function yamlFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      .map((e) => path.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
