import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AfpError } from '../../../main/errors';
import { dispatcherStyleHeader, resolveDispatcher } from '../../../main/targets/dispatcher';
import { imAuthorizationHeader } from '../../../main/targets/im';
import { dispatcherAuthorization } from '../../testbed/dispatcher/deployments';

describe("IM's Authorization header", () => {
  it('token mode: one IM line with the token, lines joined by the two characters backslash and n', () => {
    assert.equal(imAuthorizationHeader({ authMode: 'token' }, 'eyJ.a.b'), 'id = im; type = InfrastructureManager; token = eyJ.a.b');
    const both = imAuthorizationHeader(
      { authMode: 'token', kubernetesLine: { host: 'https://k8s.example:6443', tokenFrom: 'user' } },
      'eyJ.a.b',
    );
    assert.equal(
      both,
      'id = im; type = InfrastructureManager; token = eyJ.a.b\\nid = k8s; type = Kubernetes; host = https://k8s.example:6443; token = eyJ.a.b',
    );
    assert.ok(!both.includes('\n'), 'no real line break: a header cannot carry one');
  });

  it("a Kubernetes line without a token where IM holds the cluster's credentials", () => {
    const header = imAuthorizationHeader(
      { authMode: 'token', kubernetesLine: { host: 'https://k8s.example:6443', tokenFrom: 'none' } },
      't0k',
    );
    assert.equal(header.split('\\n')[1], 'id = k8s; type = Kubernetes; host = https://k8s.example:6443');
  });

  it('bearer mode (IM with Vault): a plain Bearer header, whatever the Kubernetes line says', () => {
    assert.equal(
      imAuthorizationHeader({ authMode: 'bearer', kubernetesLine: { host: 'https://k8s.example', tokenFrom: 'user' } }, 'eyJ.a.b'),
      'Bearer eyJ.a.b',
    );
  });

  it('refuses a token IM would read wrongly, and an empty one, saying why', () => {
    assert.throws(
      () => imAuthorizationHeader({ authMode: 'token' }, 'a;b'),
      (error: unknown) => error instanceof AfpError && error.code === 'invalid_input' && /token holds a character/.test(error.message),
    );
    assert.throws(
      () => imAuthorizationHeader({ authMode: 'token' }, ''),
      (error: unknown) => error instanceof AfpError && error.code === 'unauthorized' && /sign in/.test(error.message),
    );
  });

  it("the dispatcher's way: IM's line without an id, then the provider's line, as the dispatcher stand-in writes it", () => {
    const resolved = resolveDispatcher(
      {
        url: 'https://dispatcher.example/api/v1/deployments',
        imUrl: 'https://im.example:8800',
        provider: { name: 'k8s', type: 'Kubernetes', endpoint: 'https://k8s.example:6443' },
        iaasToken: 'user',
      },
      undefined,
    );
    const ours = dispatcherStyleHeader(resolved, 'tok');
    const theirs = dispatcherAuthorization({
      im_url: resolved.imInfrastructuresUrl,
      im_access_token: 'tok',
      iaas_access_token: 'tok',
      tosca_template: '',
      provider_name: 'k8s',
      provider_endpoint: 'https://k8s.example:6443',
      provider_type: 'Kubernetes',
    });
    // The dispatcher quotes the type and prints the URL with a "/" path; IM strips the quotes and matches the host by containment.
    assert.equal(theirs.replace("'Kubernetes'", 'Kubernetes').replace('6443/;', '6443;'), ours);
  });
});
