/**
 * One profile file → an ActiveProfile, or the list of everything wrong with
 * it, each naming file, line and field: the format (profile-parse), then its
 * overrides against the templates it would apply to (built-ins and its own
 * folders), so a widened range or a bad locked value never reaches users.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCatalogue } from '../catalogue/catalogue';
import type { ApiErrorShape } from '../errors';
import { say, type Message } from '../messages/message';
import type { ActiveProfile, ProfileLoad, ProfileSource } from './active-profile';
import { catalogueInput, checkOverrides } from './catalogue-overrides';
import { parseProfile } from './profile-parse';

export { lockedSettingsOf, PROFILE_SOURCES } from './active-profile';
export type { ActiveProfile, LockedSetting, ProfileLoad, ProfileSource } from './active-profile';

export async function loadProfileFile(file: string, source: ProfileSource): Promise<ProfileLoad> {
  const read = await readText(file);
  if (typeof read !== 'string') return { ok: false, errors: [read] };
  return loadProfileText(read, file, source);
}

/** Same as loadProfileFile on text already read; `file` names it in messages and anchors relative paths. */
export async function loadProfileText(text: string, file: string, source: ProfileSource): Promise<ProfileLoad> {
  const checked = await checkProfileText(text, file, source);
  return checked.load;
}

/** Everything wrong with a profile file, empty when it is good: the hook for `afp validate`. */
export async function validateProfileFile(file: string): Promise<ApiErrorShape[]> {
  const read = await readText(file);
  if (typeof read !== 'string') return [read];
  return (await validateProfileText(read, file)).errors;
}

/**
 * `afp validate`'s check of a profile: its own problems, then those of the
 * template files in its folders; a one-line summary when all is well.
 */
export async function validateProfileText(text: string, file: string): Promise<{ errors: ApiErrorShape[]; summary?: string }> {
  const { load, templateErrors } = await checkProfileText(text, file, 'cli');
  const errors = [...(load.ok ? [] : load.errors), ...templateErrors];
  if (!load.ok || errors.length > 0) return { errors };
  return { errors, summary: profileSummary(load.active) };
}

/** "site profile Analysis Facility Napoli: 1 locked setting, 1 template folder, 6 declared nodes". */
export function profileSummary(active: ActiveProfile): string {
  return profileSummaryMessage(active).text;
}

export function profileSummaryMessage(active: ActiveProfile): Message {
  const nodes = (active.profile.capacity?.nodes ?? []).reduce((sum, group) => sum + group.count, 0);
  return say('profile.summary', {
    site: active.profile.site.name,
    locks: say('profile.lockedSettings', { count: active.lockedSettings.length }),
    folders: say('profile.templateFolders', { count: active.profile.templates?.folders.length ?? 0 }),
    nodes: say('profile.declaredNodes', { count: nodes }),
  });
}

async function checkProfileText(
  text: string,
  file: string,
  source: ProfileSource,
): Promise<{ load: ProfileLoad; templateErrors: ApiErrorShape[] }> {
  const parsed = await parseProfile(text, file, source);
  if (!parsed.ok) return { load: parsed, templateErrors: [] };
  const { dirs } = catalogueInput(parsed.active);
  // The templates as written, with nothing hidden: overrides are checked against what they override.
  const catalogue = await loadCatalogue({ dirs });
  const siteFolders = new Set(dirs.slice(1));
  const templateErrors = catalogue.errors.filter(
    (error) => error.file !== undefined && siteFolders.has(path.dirname(path.resolve(error.file))),
  );
  const problems = checkOverrides(parsed.active, catalogue.templates);
  return { load: problems.length === 0 ? parsed : { ok: false, errors: problems }, templateErrors };
}

async function readText(file: string): Promise<string | ApiErrorShape> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { code: 'not_found', message: 'profile file not found', file };
    if (code === 'EISDIR') return { code: 'invalid_profile', message: 'is a folder, not a profile file', file };
    return { code: 'unavailable', message: `cannot read the profile file (${code ?? 'unknown error'})`, file };
  }
}
