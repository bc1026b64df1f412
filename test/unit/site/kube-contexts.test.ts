import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextAllowed } from '../../../main/site/kube-contexts';
import type { SiteProfile } from '../../../main/site/profile-schema';

const profile = (contexts: string[]): SiteProfile => ({
  apiVersion: 'afp.dev/v1',
  kind: 'SiteProfile',
  site: { name: 'Site', logo: 'data:image/png;base64,' },
  targets: { kube: { contexts } },
});

describe('kubeconfig contexts the site allows', () => {
  it('matches names exactly and globs with * and ?', () => {
    const site = profile(['af-napoli', 'af-napoli-*', 'lab-?']);
    assert.equal(contextAllowed(site, 'af-napoli'), true);
    assert.equal(contextAllowed(site, 'af-napoli-test'), true);
    assert.equal(contextAllowed(site, 'lab-1'), true);
    assert.equal(contextAllowed(site, 'lab-12'), false);
    assert.equal(contextAllowed(site, 'af-napoliX'), false);
    assert.equal(contextAllowed(site, 'minikube'), false);
  });

  it('takes dots and brackets in a context name literally', () => {
    const site = profile(['user@cluster.example.org']);
    assert.equal(contextAllowed(site, 'user@cluster.example.org'), true);
    assert.equal(contextAllowed(site, 'user@clusterXexampleXorg'), false);
  });

  it('allows every context when the profile names none', () => {
    assert.equal(contextAllowed(undefined, 'minikube'), true);
    assert.equal(contextAllowed({ ...profile([]), targets: {} }, 'minikube'), true);
  });
});
