/** The profile in force, as every part of the app sees it. */
import type { ApiErrorShape } from '../errors';
import type { ParameterValue, SiteProfile } from './profile-schema';

/** Where the active profile came from, highest precedence first. */
export const PROFILE_SOURCES = ['cli', 'settings', 'env', 'system'] as const;
export type ProfileSource = (typeof PROFILE_SOURCES)[number];

export interface LockedSetting {
  template: string;
  param: string;
  value: ParameterValue;
  reason: string;
}

export interface ActiveProfile {
  /** Parsed profile; template folders, logo and kubeconfig paths are absolute. */
  profile: SiteProfile;
  /** Absolute path of the profile file. */
  file: string;
  source: ProfileSource;
  lockedSettings: LockedSetting[];
  /** Line of each field in the file, keyed by field path (`templates.locked.dask.workers`), for later messages. */
  fieldLines: Record<string, number>;
}

export type ProfileLoad = { ok: true; active: ActiveProfile } | { ok: false; errors: ApiErrorShape[] };

export function lockedSettingsOf(profile: SiteProfile): LockedSetting[] {
  return Object.entries(profile.templates?.locked ?? {}).flatMap(([template, locks]) =>
    Object.entries(locks).map(([param, lock]) => ({ template, param, value: lock.value, reason: lock.reason })),
  );
}
