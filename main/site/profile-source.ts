/**
 * Which profile is active. Precedence, highest first:
 *   1. `--profile FILE` on the command line
 *   2. the file chosen in Settings (persisted by the app)
 *   3. the `AFP_PROFILE` environment variable
 *   4. the system-wide file IT deploys (see systemProfilePath)
 *   5. none
 * The first source that names a file decides: if that file is missing or
 * broken the answer is an error, never a silent fall-through to a lower source.
 * Only the system-wide file may be absent, since most machines have none.
 */
import path from 'node:path';
import { errorParam, messageFields } from '../errors';
import { say, type Message } from '../messages/message';
import { ProblemsError } from '../yaml/problems';
import { loadProfileFile, type ActiveProfile, type ProfileSource } from './profile-load';

export const PROFILE_ENV_VAR = 'AFP_PROFILE';

export interface ProfileSources {
  /** `--profile` from the CLI. */
  cli?: string | undefined;
  /** The file chosen in Settings. */
  settings?: string | undefined;
  /** Environment to read AFP_PROFILE from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** System-wide profile path; default systemProfilePath() for this OS. Tests inject a temporary path. */
  systemPath?: string | undefined;
}

/** Where IT puts the machine-wide profile on each OS. */
export function systemProfilePath(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'AF Provisioner', 'profile.yaml');
    case 'darwin':
      return '/Library/Application Support/AF Provisioner/profile.yaml';
    default:
      return '/etc/af-provisioner/profile.yaml';
  }
}

/** The chosen file and its source, before reading it; `optional` when only the system-wide path is left. */
export function chooseProfileFile(sources: ProfileSources): { file: string; source: ProfileSource; optional: boolean } {
  const env = sources.env ?? process.env;
  const given: [ProfileSource, string | undefined][] = [
    ['cli', sources.cli],
    ['settings', sources.settings],
    ['env', env[PROFILE_ENV_VAR]],
  ];
  for (const [source, file] of given) {
    if (file !== undefined && file.trim() !== '') return { file, source, optional: false };
  }
  return { file: sources.systemPath ?? systemProfilePath(), source: 'system', optional: true };
}

/**
 * Resolves and loads the active profile. When the chosen file cannot be used,
 * throws a ProblemsError (an AfpError: code `invalid_profile`, `not_found` or
 * `unavailable`, with file, line and field of the first problem, and all of
 * them in `problems`).
 */
export async function resolveProfile(sources: ProfileSources): Promise<ActiveProfile | null> {
  const chosen = chooseProfileFile(sources);
  const result = await loadProfileFile(chosen.file, chosen.source);
  if (result.ok) return result.active;
  const [first, ...rest] = result.errors;
  if (first === undefined) return null;
  if (chosen.optional && first.code === 'not_found' && first.field === undefined) return null;
  throw new ProblemsError([
    { ...first, ...messageFields(say('profile.fromSource', { problem: errorParam(first), source: sourceMessage(chosen.source) })) },
    ...rest,
  ]);
}

export function describeSource(source: ProfileSource): string {
  return sourceMessage(source).text;
}

/** "the AFP_PROFILE environment variable", as a message. */
export function sourceMessage(source: ProfileSource): Message {
  return say(`profileSource.${source}`);
}
