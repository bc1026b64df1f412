/**
 * `--profile FILE` on every command: the site profile in the same precedence
 * as the app (--profile, then AFP_PROFILE, then the system-wide file); a
 * named file that is missing or broken is an error, never skipped.
 */
import path from 'node:path';
import type { ActiveProfile } from '../site/active-profile';
import { PROFILE_ENV_VAR, resolveProfile } from '../site/profile-source';
import { stringOption, type CliOption, type OptionValues } from './command';

export const PROFILE_OPTION: CliOption = {
  type: 'string',
  arg: 'FILE',
  help: `Site profile: its targets, template folders, defaults and locked settings (default: ${PROFILE_ENV_VAR}, then the system-wide one)`,
};

/** The profile in force for this command; --profile is read relative to the working folder. */
export async function cliProfile(options: OptionValues, cwd: string): Promise<ActiveProfile | null> {
  const given = stringOption(options, 'profile');
  return resolveProfile({ cli: given === undefined ? undefined : path.resolve(cwd, given) });
}
