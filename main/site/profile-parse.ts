/**
 * One profile file → an ActiveProfile (parsed, checked, paths made absolute)
 * or the list of everything wrong with it, each naming file, line and field.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ApiErrorShape } from '../errors';
import { siteProfileSchema, type ParameterValue, type SiteProfile } from './profile-schema';
import { fieldPath, parseWithSchema, type FieldPath } from './yaml-positions';

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

export async function loadProfileFile(file: string, source: ProfileSource): Promise<ProfileLoad> {
  const read = await readText(file);
  if (typeof read !== 'string') return { ok: false, errors: [read] };
  return loadProfileText(read, file, source);
}

/** Same as loadProfileFile on text already read; `file` names it in messages and anchors relative paths. */
export async function loadProfileText(text: string, file: string, source: ProfileSource): Promise<ProfileLoad> {
  const parsed = parseWithSchema(text, file, siteProfileSchema, 'invalid_profile');
  if (!parsed.ok) return parsed;
  const fieldLines = collectLines(parsed.value, parsed.lineOf);
  const profile = resolvePaths(parsed.value, path.dirname(path.resolve(file)));
  const missing = await missingPaths(profile, file, fieldLines);
  if (missing.length > 0) return { ok: false, errors: missing };
  return { ok: true, active: { profile, file: path.resolve(file), source, lockedSettings: lockedSettingsOf(profile), fieldLines } };
}

/** Everything wrong with a profile file, empty when it is good: the hook for `afp validate`. */
export async function validateProfileFile(file: string): Promise<ApiErrorShape[]> {
  const result = await loadProfileFile(file, 'cli');
  return result.ok ? [] : result.errors;
}

export function lockedSettingsOf(profile: SiteProfile): LockedSetting[] {
  return Object.entries(profile.templates?.locked ?? {}).flatMap(([template, locks]) =>
    Object.entries(locks).map(([param, lock]) => ({ template, param, value: lock.value, reason: lock.reason })),
  );
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

function resolvePaths(profile: SiteProfile, base: string): SiteProfile {
  const absolute = (p: string): string => path.resolve(base, p);
  const out: SiteProfile = { ...profile, site: { ...profile.site } };
  if (!profile.site.logo.startsWith('data:')) out.site.logo = absolute(profile.site.logo);
  if (profile.templates !== undefined) out.templates = { ...profile.templates, folders: profile.templates.folders.map(absolute) };
  const kubeconfig = profile.targets?.kube?.kubeconfig;
  if (profile.targets?.kube !== undefined && kubeconfig !== undefined) {
    const expanded = kubeconfig === '~' || kubeconfig.startsWith('~/') ? path.join(homedir(), kubeconfig.slice(1)) : absolute(kubeconfig);
    out.targets = { ...profile.targets, kube: { ...profile.targets.kube, kubeconfig: expanded } };
  }
  return out;
}

/** Template folders and the logo file must exist: a typo in a path is an error, not an empty catalogue. */
async function missingPaths(profile: SiteProfile, file: string, lines: Record<string, number>): Promise<ApiErrorShape[]> {
  const errors: ApiErrorShape[] = [];
  const problem = (at: FieldPath, message: string): void => {
    const field = fieldPath(at);
    const shape: ApiErrorShape = { code: 'invalid_profile', message, file, field };
    const line = lines[field];
    if (line !== undefined) shape.line = line;
    errors.push(shape);
  };
  if (!profile.site.logo.startsWith('data:') && !(await isKind(profile.site.logo, 'file'))) {
    problem(['site', 'logo'], `logo file not found: ${profile.site.logo}`);
  }
  const folders = profile.templates?.folders ?? [];
  for (const [index, folder] of folders.entries()) {
    if (!(await isKind(folder, 'dir'))) problem(['templates', 'folders', index], `template folder not found: ${folder}`);
  }
  return errors;
}

async function isKind(p: string, kind: 'file' | 'dir'): Promise<boolean> {
  try {
    const info = await stat(p);
    return kind === 'file' ? info.isFile() : info.isDirectory();
  } catch {
    return false;
  }
}

function collectLines(value: unknown, lineOf: (path: FieldPath) => number | undefined): Record<string, number> {
  const lines: Record<string, number> = {};
  const walk = (node: unknown, at: PropertyKey[]): void => {
    const line = lineOf(at);
    if (line !== undefined && at.length > 0) lines[fieldPath(at)] = line;
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...at, index]));
    else if (node !== null && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, [...at, key]);
  };
  walk(value, []);
  return lines;
}
