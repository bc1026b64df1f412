/**
 * How an environment's hub signs users in, as templates see it (the
 * expression context `hubLogin` and `owner`): the site's identity provider
 * when the site profile registers a client for hubs, else the owner alone
 * with a generated password.
 */

/** The site profile's hubLogin, with the issuer and groups claim resolved. */
export interface HubLogin {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  userdataUrl?: string;
  /** PEM of the CA that signed the provider's certificate, when no public CA did (public: not a secret). */
  caCertificate?: string;
  usernameClaim: string;
  groupsClaim: string;
  scopes: string[];
}

/** The name the owner signs in with when nobody told the renderer (an offline export). */
export const DEFAULT_OWNER = 'owner';

/**
 * Every field present (null when not given), so a template reads them without $if. The client
 * secret is not among them: it is `hubClientSecret`, for a Secret, never for a file.
 */
export function hubLoginContext(login: HubLogin | undefined): Record<string, unknown> {
  return {
    enabled: login !== undefined,
    issuer: login?.issuer ?? null,
    clientId: login?.clientId ?? null,
    authorizeUrl: login?.authorizeUrl ?? null,
    tokenUrl: login?.tokenUrl ?? null,
    userdataUrl: login?.userdataUrl ?? null,
    caCertificate: login?.caCertificate ?? null,
    usernameClaim: login?.usernameClaim ?? null,
    groupsClaim: login?.groupsClaim ?? null,
    scopes: login?.scopes ?? [],
  };
}
