/**
 * Which kubeconfig contexts the site lets users deploy to. Entries of
 * `targets.kube.contexts` are names or globs where `*` matches any run of
 * characters and `?` one character; no profile or no list allows every context.
 */
import type { SiteProfile } from './profile-schema';

export function contextAllowed(profile: SiteProfile | undefined, context: string): boolean {
  const patterns = profile?.targets?.kube?.contexts;
  if (patterns === undefined) return true;
  return patterns.some((pattern) => globToRegExp(pattern).test(context));
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
