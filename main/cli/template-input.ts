/**
 * What every command that renders a template takes from the command line:
 * the site profile (--profile, AFP_PROFILE, the system-wide file), the
 * template (a catalogue name or a file) with the profile's folders, defaults,
 * ranges and presets applied, and the user's values — refused when they
 * change a setting the profile locks, naming the profile and the reason.
 */
import path from 'node:path';
import { catalogueOf, loadCatalogue, type Catalogue } from '../catalogue/catalogue';
import { applyOverride } from '../catalogue/overrides';
import type { LoadedTemplate } from '../catalogue/template';
import type { ApiErrorShape } from '../errors';
import { linkPolicy, type LinkPolicy } from '../app/site-rules';
import type { ActiveProfile } from '../site/active-profile';
import { catalogueInput, enforceLocks } from '../site/catalogue-overrides';
import type { RenderInput } from '../render/types';
import { siteRenderSettings } from '../site/render-settings';
import { ProblemsError } from '../yaml/problems';
import { stringOption, stringsOption, type CliOption, type OptionValues } from './command';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { resolveTemplate } from './template-arg';
import { readValues, type ValuesInput } from './values-input';

export const TEMPLATES_OPTION: CliOption = {
  type: 'string',
  multiple: true,
  arg: 'DIR',
  help: "Also load templates from this folder (repeatable; later folders override, the site profile's first)",
};

/** The options of every command that renders a template, spelled once. */
export const TEMPLATE_OPTIONS: Record<string, CliOption> = {
  values: { type: 'string', arg: 'FILE', help: 'YAML file of parameter: value' },
  set: { type: 'string', multiple: true, arg: 'NAME=VALUE', help: 'Set one parameter (repeatable; wins over --values)' },
  templates: TEMPLATES_OPTION,
  profile: PROFILE_OPTION,
};

/** The catalogue as the app would show it under this profile, plus folders from --templates. */
export async function profileCatalogue(active: ActiveProfile | null, extra: readonly string[], cwd: string): Promise<Catalogue> {
  const input = catalogueInput(active);
  return loadCatalogue({ ...input, dirs: [...input.dirs, ...extra.map((dir) => path.resolve(cwd, dir))] });
}

export interface TemplateInput {
  profile: ActiveProfile | null;
  template: LoadedTemplate;
  /** Holds the template (a file given by path is a catalogue of one). */
  catalogue: () => Promise<Catalogue>;
  values: Record<string, unknown>;
  origin: ValuesInput['origin'];
  /** The profile's link policy, for rendering as the app does (absent without a profile). */
  links?: LinkPolicy;
  /** The profile's isolation and hub sign-in, for rendering as the app does. */
  site: Pick<RenderInput, 'isolation' | 'hubLogin'>;
}

/** Reads the profile, the template and the values; throws a ProblemsError for each locked setting the values change. */
export async function templateInput(arg: string, options: OptionValues, cwd: string): Promise<TemplateInput> {
  const profile = await cliProfile(options, cwd);
  const extra = stringsOption(options, 'templates');
  const isFile = /\.ya?ml$/i.test(arg) || arg.includes('/') || arg.includes(path.sep);
  let template: LoadedTemplate;
  let catalogue: () => Promise<Catalogue>;
  if (isFile) {
    // A template file is offered as the site would offer a template of that name: its defaults and locks apply.
    const { overrides } = catalogueInput(profile);
    const loaded = await resolveTemplate(arg, [], cwd);
    template = applyOverride(loaded, overrides[loaded.name]);
    catalogue = () => Promise.resolve(catalogueOf([template]));
  } else {
    const loaded = await profileCatalogue(profile, extra, cwd);
    template = await resolveTemplate(arg, [], cwd, loaded);
    catalogue = () => Promise.resolve(loaded);
  }
  const input = await userValues(template, options, profile, cwd);
  const links = linkPolicy(profile);
  return {
    profile,
    template,
    catalogue,
    values: input.values,
    origin: input.origin,
    ...(links === undefined ? {} : { links }),
    site: siteRenderSettings(profile?.profile),
  };
}

/** The values given with --values and --set, refused (a ProblemsError) where they change a setting the profile locks. */
export async function userValues(
  template: LoadedTemplate,
  options: OptionValues,
  profile: ActiveProfile | null,
  cwd: string,
): Promise<ValuesInput> {
  const sets = stringsOption(options, 'set');
  const input = await readValues(template, stringOption(options, 'values'), sets, cwd);
  refuseLocked(template, input, sets, profile, cwd);
  return input;
}

/** One problem per locked setting the user's values change, saying where the value came from and where the lock is. */
function refuseLocked(
  template: LoadedTemplate,
  input: ValuesInput,
  sets: readonly string[],
  profile: ActiveProfile | null,
  cwd: string,
): void {
  if (profile === null) return;
  const locked = enforceLocks(template.name, input.values, profile, template.parameters);
  if (locked.length === 0) return;
  const fromSet = new Set(sets.map((set) => set.slice(0, set.indexOf('=')).trim()));
  const shownProfile = path.relative(cwd, profile.file).startsWith('..') ? profile.file : path.relative(cwd, profile.file);
  const problems = locked.map((error): ApiErrorShape => {
    const param = error.field ?? '';
    const lockLine = profile.fieldLines[`templates.locked.${template.name}.${param}`];
    const lockedIn = `locked in ${shownProfile}${lockLine === undefined ? '' : `:${lockLine}`}`;
    if (fromSet.has(param) || input.origin.file === undefined) {
      return { code: 'locked', message: `${error.message} (given with --set; ${lockedIn})`, field: param };
    }
    const line = input.origin.lineOf?.([param]);
    return {
      code: 'locked',
      message: `${error.message} (${lockedIn})`,
      field: param,
      file: input.origin.file,
      line,
    };
  });
  throw new ProblemsError(problems);
}
