import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAfpError } from '../../../main/errors';
import { resolveTargetChoice } from '../../../main/targets/target-choice';
import { siteProfileSchema, type SiteProfile } from '../../../main/site/profile-schema';

const profile = (targets: unknown): SiteProfile =>
  siteProfileSchema.parse({
    apiVersion: 'afp.dev/v1',
    kind: 'SiteProfile',
    site: { name: 'Lab', logo: 'data:image/png;base64,AA==' },
    targets,
  });

const FULL = profile({
  im: { url: 'https://im.lab.example:8800', kubernetesLine: { host: 'https://k8s.lab.example:6443', tokenFrom: 'user' } },
  dispatcher: { url: 'https://dispatcher.lab.example/api/v1/deployments' },
  kube: { contexts: ['lab-*'], kubeconfig: '/etc/lab/kubeconfig' },
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(isAfpError(error));
    assert.equal(error.field, 'target');
    return `${error.code}: ${error.message}`;
  }
  assert.fail('expected a refusal');
}

describe('target choice against the site profile', () => {
  it("IM and the dispatcher take the profile's settings", () => {
    const im = resolveTargetChoice({ kind: 'im' }, FULL);
    assert.equal(im.kind, 'im');
    assert.equal(im.kind === 'im' ? im.im.kubernetesLine?.host : '', 'https://k8s.lab.example:6443');
    const dispatcher = resolveTargetChoice({ kind: 'dispatcher' }, FULL);
    assert.equal(dispatcher.kind === 'dispatcher' ? dispatcher.dispatcher.url : '', 'https://dispatcher.lab.example/api/v1/deployments');
    assert.equal(
      dispatcher.kind === 'dispatcher' ? dispatcher.im?.url : '',
      'https://im.lab.example:8800',
      'IM to follow the infrastructure with',
    );
  });

  it('refuses a target the profile does not name, or any IM target without a profile, saying which field is missing', () => {
    assert.equal(
      refusal(() => resolveTargetChoice({ kind: 'im' }, profile({ kube: { contexts: ['x'] } }))),
      'unsupported: The site profile "Lab" offers no IM target (targets.im is not set).',
    );
    assert.match(
      refusal(() => resolveTargetChoice({ kind: 'dispatcher' }, profile({}))),
      /offers no dispatcher target \(targets\.dispatcher is not set\)/,
    );
    assert.match(
      refusal(() => resolveTargetChoice({ kind: 'im' }, undefined)),
      /needs a site profile that names it \(targets\.im\); none is in force/,
    );
  });

  it("kube: the profile's kubeconfig by default, its contexts as an allow-list; none without a profile", () => {
    const kube = resolveTargetChoice({ kind: 'kube' }, FULL);
    assert.equal(kube.kind === 'kube' ? kube.kubeconfig : '', '/etc/lab/kubeconfig');
    assert.equal(kube.kind === 'kube' && kube.allowed?.('lab-gpu'), true);
    assert.equal(kube.kind === 'kube' && kube.allowed?.('prod'), false);
    const given = resolveTargetChoice({ kind: 'kube', kubeconfig: '/home/me/.kube/config', context: 'lab-1' }, FULL);
    assert.equal(given.kind === 'kube' ? given.kubeconfig : '', '/home/me/.kube/config');
    const free = resolveTargetChoice({ kind: 'kube', context: 'anything' }, undefined);
    assert.equal(free.kind === 'kube' ? free.allowed : 'x', undefined);
  });

  it('a recorded environment is reached where it was made, whatever the profile says now', () => {
    const kube = resolveTargetChoice({ kind: 'kube', context: 'prod', server: 'https://x', namespace: 'ns' }, FULL);
    assert.equal(kube.kind === 'kube' ? kube.allowed : 'x', undefined, 'no allow-list for a recorded context');
    assert.equal(kube.kind === 'kube' ? kube.kubeconfig : 'x', undefined, "the profile's kubeconfig is not swapped in");
    const sameIm = resolveTargetChoice({ kind: 'im', imUrl: 'https://im.lab.example:8800', infrastructureId: 'a' }, FULL);
    assert.equal(
      sameIm.kind === 'im' ? sameIm.im.kubernetesLine?.host : '',
      'https://k8s.lab.example:6443',
      "the profile's header settings for its own IM",
    );
    const otherIm = resolveTargetChoice({ kind: 'im', imUrl: 'https://old-im.example:8800' }, FULL);
    assert.deepEqual(otherIm, { kind: 'im', im: { url: 'https://old-im.example:8800', authMode: 'token' } });
    const orphan = resolveTargetChoice(
      { kind: 'dispatcher', dispatcherUrl: 'https://gone.example/d', imUrl: 'https://im.gone.example' },
      undefined,
    );
    assert.deepEqual(
      orphan,
      { kind: 'im', im: { url: 'https://im.gone.example', authMode: 'token' } },
      'followed through the IM it recorded',
    );
    assert.match(
      refusal(() => resolveTargetChoice({ kind: 'dispatcher', dispatcherUrl: 'https://gone.example/d' }, undefined)),
      /dispatcher/,
    );
  });
});
