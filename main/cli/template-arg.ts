/** A template named on the command line: a catalogue name, or a path to a template file. */
import path from 'node:path';
import { builtinTemplatesDir } from '../catalogue/builtin';
import { loadCatalogue, loadTemplateFile, type Catalogue } from '../catalogue/catalogue';
import type { LoadedTemplate } from '../catalogue/template';
import { ProblemsError } from '../yaml/problems';

export function templateDirs(extra: readonly string[], cwd: string): string[] {
  return [builtinTemplatesDir(), ...extra.map((dir) => path.resolve(cwd, dir))];
}

export async function catalogueFor(extra: readonly string[], cwd: string): Promise<Catalogue> {
  return loadCatalogue({ dirs: templateDirs(extra, cwd) });
}

/** The template `arg` names: a file (by its extension or a slash), else a name in `catalogue` (default: built-ins and `extra` folders). */
export async function resolveTemplate(arg: string, extra: readonly string[], cwd: string, catalogue?: Catalogue): Promise<LoadedTemplate> {
  if (/\.ya?ml$/i.test(arg) || arg.includes('/') || arg.includes(path.sep)) {
    const result = await loadTemplateFile(path.resolve(cwd, arg));
    if (!result.ok) throw new ProblemsError(result.errors.map((error) => ({ ...error, file: arg })));
    return result.template;
  }
  const from = catalogue ?? (await catalogueFor(extra, cwd));
  const found = from.get(arg);
  if (found === undefined) {
    // A broken file may be the template asked for: say so rather than "unknown".
    const broken = from.errors.filter((error) => error.file !== undefined && path.basename(error.file).replace(/\.ya?ml$/, '') === arg);
    if (broken.length > 0) throw new ProblemsError(broken);
  }
  return from.require(arg);
}
