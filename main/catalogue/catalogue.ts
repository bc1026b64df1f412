/**
 * The catalogue: every template in the folders (later folders override
 * earlier ones by template name), with the site's overrides applied. A file
 * that fails to load is reported and the others still list.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AfpError, type ApiErrorShape } from '../errors';
import { builtinTemplatesDir } from './builtin';
import { applyOverride, type TemplateOverride } from './overrides';
import { parseTemplate, type LoadedTemplate, type TemplateResult } from './template';

export interface CatalogueOptions {
  /** Template folders, built-ins first; default: the built-in folder alone. */
  dirs?: string[];
  /** Per template name: the site's defaults, presets, locks and ranges. */
  overrides?: Record<string, TemplateOverride>;
  /** Template names the site does not offer. */
  hidden?: string[];
}

export interface Catalogue {
  templates: LoadedTemplate[];
  /** Files that failed to load, each with file, line and field where known. */
  errors: ApiErrorShape[];
  get(name: string): LoadedTemplate | undefined;
  /** The template, or a not_found error that lists the known names. */
  require(name: string): LoadedTemplate;
}

export async function loadCatalogue(options: CatalogueOptions = {}): Promise<Catalogue> {
  const dirs = options.dirs ?? [builtinTemplatesDir()];
  const builtin = builtinTemplatesDir();
  const byName = new Map<string, LoadedTemplate>();
  const errors: ApiErrorShape[] = [];
  for (const dir of dirs) {
    const origin = path.resolve(dir) === builtin ? 'built-in' : 'site';
    for (const file of await templateFiles(dir, errors)) {
      const result = parseTemplate(await readFile(file, 'utf8'), file, origin);
      if (result.ok) byName.set(result.template.name, result.template);
      else errors.push(...result.errors);
    }
  }
  const hidden = new Set(options.hidden ?? []);
  const templates = [...byName.values()]
    .filter((template) => !hidden.has(template.name))
    .map((template) => applyOverride(template, options.overrides?.[template.name]))
    .sort((a, b) => a.name.localeCompare(b.name));
  return catalogueOf(templates, errors);
}

export function catalogueOf(templates: LoadedTemplate[], errors: ApiErrorShape[] = []): Catalogue {
  const get = (name: string): LoadedTemplate | undefined => templates.find((template) => template.name === name);
  return {
    templates,
    errors,
    get,
    require(name) {
      const found = get(name);
      if (found !== undefined) return found;
      const known = templates.map((template) => template.name).join(', ');
      throw new AfpError('not_found', `unknown template "${name}" (known: ${known === '' ? 'none' : known})`, { field: 'template' });
    },
  };
}

/** Reads one template file (for `afp validate` and templates given by path). */
export async function loadTemplateFile(file: string): Promise<TemplateResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      errors: [{ code: 'not_found', message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, file }],
    };
  }
  const origin = path.dirname(path.resolve(file)) === builtinTemplatesDir() ? 'built-in' : 'site';
  return parseTemplate(text, file, origin);
}

async function templateFiles(dir: string, errors: ApiErrorShape[]): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => path.join(dir, entry.name))
      .sort();
  } catch (error) {
    errors.push({
      code: 'not_found',
      message: `cannot read the template folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      file: dir,
    });
    return [];
  }
}
