/**
 * Profile text → an ActiveProfile on its own terms: the format, the paths it
 * names (made absolute, and present), the lines of its fields. Checks against
 * the templates come after, in profile-load.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ApiErrorShape } from '../errors';
import { fieldPath, parseWithSchema, type FieldPath } from '../yaml/parse';
import { lockedSettingsOf, type ProfileLoad, type ProfileSource } from './active-profile';
import { siteProfileSchema, type SiteProfile } from './profile-schema';

/** `file` names the profile in messages and anchors its relative paths. */
export async function parseProfile(text: string, file: string, source: ProfileSource): Promise<ProfileLoad> {
  const parsed = parseWithSchema(text, file, siteProfileSchema, 'invalid_profile');
  if (!parsed.ok) return parsed;
  const fieldLines = collectLines(parsed.value, parsed.lineOf);
  const profile = resolvePaths(parsed.value, path.dirname(path.resolve(file)));
  const missing = await missingPaths(profile, file, fieldLines);
  if (missing.length > 0) return { ok: false, errors: missing };
  return { ok: true, active: { profile, file: path.resolve(file), source, lockedSettings: lockedSettingsOf(profile), fieldLines } };
}

/** An error about one field of the profile, at its line when the file has it. */
export function profileError(file: string, lines: Readonly<Record<string, number>>, at: FieldPath, message: string): ApiErrorShape {
  const field = fieldPath(at);
  const shape: ApiErrorShape = { code: 'invalid_profile', message, file };
  if (field !== '') shape.field = field;
  const line = lines[field];
  if (line !== undefined) shape.line = line;
  return shape;
}

function resolvePaths(profile: SiteProfile, base: string): SiteProfile {
  const absolute = (p: string): string => path.resolve(base, p);
  const out: SiteProfile = { ...profile, site: { ...profile.site } };
  if (profile.site.logo !== undefined && !profile.site.logo.startsWith('data:')) out.site.logo = absolute(profile.site.logo);
  if (profile.auth?.caFile !== undefined) out.auth = { ...profile.auth, caFile: absolute(profile.auth.caFile) };
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
  if (profile.site.logo !== undefined && !profile.site.logo.startsWith('data:') && !(await isKind(profile.site.logo, 'file'))) {
    errors.push(profileError(file, lines, ['site', 'logo'], `logo file not found: ${profile.site.logo}`));
  }
  if (profile.auth?.caFile !== undefined && !(await isKind(profile.auth.caFile, 'file')))
    errors.push(profileError(file, lines, ['auth', 'caFile'], `CA file not found: ${profile.auth.caFile}`));
  for (const [index, folder] of (profile.templates?.folders ?? []).entries()) {
    if (!(await isKind(folder, 'dir')))
      errors.push(profileError(file, lines, ['templates', 'folders', index], `template folder not found: ${folder}`));
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
