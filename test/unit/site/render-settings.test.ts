/** The site profile's isolation and hubLogin sections, as the renderer receives them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { siteProfileSchema } from '../../../main/site/profile-schema';
import { siteRenderSettings } from '../../../main/site/render-settings';

const base = { apiVersion: 'afp.dev/v1', kind: 'SiteProfile', site: { name: 'Lab', logo: 'data:image/png;base64,AA==' } };

describe('siteRenderSettings', () => {
  it('hubLogin takes the issuer and groups claim of auth unless it names its own, and keeps the secret', () => {
    const profile = siteProfileSchema.parse({
      ...base,
      auth: { issuer: 'https://iam.example.org/', clientId: 'af-provisioner', groupsClaim: 'wlcg.groups' },
      hubLogin: { clientId: 'af-hubs', clientSecret: 'x' },
    });
    assert.deepEqual(siteRenderSettings(profile).hubLogin, {
      issuer: 'https://iam.example.org/',
      clientId: 'af-hubs',
      clientSecret: 'x',
      usernameClaim: 'preferred_username',
      groupsClaim: 'wlcg.groups',
      scopes: ['openid', 'profile', 'email'],
    });
  });

  it('without hubLogin the hubs have no identity provider; without isolation the default controller applies', () => {
    assert.deepEqual(siteRenderSettings(siteProfileSchema.parse(base)), {});
    assert.deepEqual(siteRenderSettings(undefined), {});
  });

  it('hubLogin needs an issuer: its own or auth.issuer', () => {
    const result = siteProfileSchema.safeParse({ ...base, hubLogin: { clientId: 'af-hubs' } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['hubLogin', 'issuer']);
  });

  it("the site's ingress controller selector is passed on", () => {
    const controller = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { app: 'traefik' } },
    };
    const profile = siteProfileSchema.parse({ ...base, isolation: { ingressController: controller } });
    assert.deepEqual(siteRenderSettings(profile).isolation, { ingressController: controller });
  });
});
