/**
 * The site profile's rules, read in one place for every caller (the app, the
 * preview, every `afp` command): the link policy each render uses (Review,
 * fit, export, deploy, update, resume), who may deploy (its required groups,
 * checked against the signed-in user before any request), and the settings
 * it locks.
 */
import { requireGroups } from '../auth/groups';
import type { AuthState } from '../auth/session-types';
import type { AuthUser } from '../contract/auth';
import type { SiteRules } from '../environments/operation-types';
import type { RenderInput } from '../render/types';
import type { ActiveProfile } from '../site/active-profile';
import { enforceLocks } from '../site/catalogue-overrides';
import { siteRenderSettings } from '../site/render-settings';
import { ProblemsError } from '../yaml/problems';

export type LinkPolicy = NonNullable<RenderInput['links']>;

/** The profile's ingress domain and TLS; undefined without a profile. */
export function linkPolicy(active: ActiveProfile | null | undefined): LinkPolicy | undefined {
  if (active == null) return undefined;
  const links = active.profile.links;
  return { ...(links?.ingressDomain === undefined ? {} : { ingressDomain: links.ingressDomain }), tls: links?.tls?.enabled ?? false };
}

/** Whoever is signed in, as far as the rules need to know. */
export interface SignedInUser {
  status(): { state: AuthState; user?: AuthUser };
}

const VERBS = { deploy: 'deploying', update: 'updating', resume: 'resuming' } as const;

/** The rules of the profile in force at each call; `session` is absent when nobody could be signed in. */
export function siteRules(profile: () => ActiveProfile | null, session?: SignedInUser): SiteRules {
  return {
    links: () => linkPolicy(profile()),
    admit(action, environment) {
      const active = profile();
      const required = active?.profile.auth?.requiredGroups ?? [];
      if (active === null || required.length === 0) return;
      const status = session?.status();
      const user = status?.state === 'signed-in' ? status.user : undefined;
      requireGroups(user, required, `${VERBS[action]} ${environment} at ${active.profile.site.name}`);
    },
    checkValues(template, values) {
      const locked = enforceLocks(template.name, values, profile(), template.parameters);
      if (locked.length > 0) throw new ProblemsError(locked.map((error) => error.toJSON()));
    },
    render() {
      const status = session?.status();
      const owner = status?.state === 'signed-in' ? status.user?.username : undefined;
      return { ...siteRenderSettings(profile()?.profile), ...(owner === undefined ? {} : { owner }) };
    },
  };
}
