/**
 * What the site profile tells the renderer about a shared cluster: the
 * ingress controller admitted into environments and how hubs sign users in.
 * Every path that renders (Review, deploy, update, export, fit) passes this,
 * so the GUI and the CLI render the same objects.
 */
import type { HubLogin } from '../render/hub-login';
import type { RenderInput } from '../render/types';
import type { SiteProfile } from './profile-schema';

export function siteRenderSettings(profile: SiteProfile | undefined): Pick<RenderInput, 'isolation' | 'hubLogin'> {
  const out: Pick<RenderInput, 'isolation' | 'hubLogin'> = {};
  const controller = profile?.isolation?.ingressController;
  if (controller !== undefined) out.isolation = { ingressController: controller };
  const login = profile?.hubLogin;
  const issuer = login?.issuer ?? profile?.auth?.issuer;
  if (login !== undefined && issuer !== undefined) {
    const hubLogin: HubLogin = {
      issuer,
      clientId: login.clientId,
      usernameClaim: login.usernameClaim,
      groupsClaim: login.groupsClaim ?? profile?.auth?.groupsClaim ?? 'groups',
      scopes: login.scopes,
    };
    if (login.clientSecret !== undefined) hubLogin.clientSecret = login.clientSecret;
    if (login.authorizeUrl !== undefined) hubLogin.authorizeUrl = login.authorizeUrl;
    if (login.tokenUrl !== undefined) hubLogin.tokenUrl = login.tokenUrl;
    if (login.userdataUrl !== undefined) hubLogin.userdataUrl = login.userdataUrl;
    if (login.caCertificate !== undefined) hubLogin.caCertificate = login.caCertificate;
    out.hubLogin = hubLogin;
  }
  return out;
}
