/**
 * Every URL the user's OIDC token is sent to (the issuer, IM, the dispatcher,
 * IM's URL as the dispatcher reaches it, the cluster IM is told to use) must
 * be https; plain http only on loopback (the test bed). The site profile names
 * the file, line and field; the clients refuse such a URL however they got it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAfpError } from '../../../main/errors';
import { DispatcherClient } from '../../../main/targets/dispatcher/dispatcher-client';
import { ImClient } from '../../../main/targets/im/im-client';
import type { TokenSource } from '../../../main/targets/im/token-source';
import { validateProfileFile } from '../../../main/site/profile-load';
import { profileText, tempFolder, type TempFolder } from '../site/profile-fixture';

const tokens: TokenSource = { accessToken: () => Promise.resolve('t'), withFreshToken: (call) => call('t') };

describe('URLs that receive a token: https only, loopback excepted', () => {
  let tmp: TempFolder;
  before(async () => {
    tmp = await tempFolder();
  });
  after(() => tmp.remove());

  const cases: [string, string, number][] = [
    ['targets.im.url', 'targets:\n  im:\n    url: http://im.example.org:8800\n', 8],
    [
      'targets.im.kubernetesLine.host',
      'targets:\n  im:\n    url: https://im.example.org\n    kubernetesLine:\n      host: http://k8s.example.org:6443\n      tokenFrom: user\n',
      10,
    ],
    [
      'targets.dispatcher.url',
      'targets:\n  dispatcher:\n    url: http://d.example.org/api\n    imUrl: https://im.example.org\n    provider: { endpoint: "https://k8s.example.org" }\n',
      8,
    ],
    [
      'targets.dispatcher.imUrl',
      'targets:\n  dispatcher:\n    url: https://d.example.org/api\n    imUrl: http://im.example.org\n    provider: { endpoint: "https://k8s.example.org" }\n',
      9,
    ],
    [
      'targets.dispatcher.provider.endpoint',
      'targets:\n  dispatcher:\n    url: https://d.example.org/api\n    imUrl: https://im.example.org\n    provider: { endpoint: "http://k8s.example.org" }\n',
      10,
    ],
  ];

  for (const [field, yaml, line] of cases) {
    it(`the site profile refuses plain http in ${field}, naming file, line and field`, async () => {
      const file = await tmp.write(`${field}.yaml`, profileText('S', yaml));
      const errors = await validateProfileFile(file);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0]?.file, file);
      assert.equal(errors[0]?.field, field);
      assert.equal(errors[0]?.line, line);
      assert.match(errors[0]?.message ?? '', /must use https/);
    });
  }

  it('loopback may use plain http (the test bed)', async () => {
    const file = await tmp.write(
      'loopback.yaml',
      profileText(
        'S',
        'targets:\n  im:\n    url: http://127.0.0.1:8800\n    kubernetesLine: { host: "http://localhost:6443", tokenFrom: user }\n  dispatcher:\n    url: http://127.0.0.1:9000/api\n    provider: { endpoint: "http://[::1]:6443" }\n',
      ),
    );
    assert.deepEqual(await validateProfileFile(file), []);
  });

  it('the IM and dispatcher clients refuse a plain-http URL off loopback, before sending anything', () => {
    const refused = (work: () => unknown): void => {
      try {
        work();
      } catch (error) {
        assert.ok(isAfpError(error), String(error));
        assert.match(error.message, /must use https/);
        return;
      }
      assert.fail('accepted a plain-http URL');
    };
    const fetch = (): Promise<Response> => assert.fail('nothing is sent');
    refused(() => new ImClient({ url: 'http://im.example.org:8800', tokens, fetch }));
    const dispatcher = {
      url: 'https://d.example.org/api',
      imInfrastructuresUrl: 'https://im.example.org/infrastructures',
      provider: { name: 'k8s', type: 'Kubernetes', endpoint: 'https://k8s.example.org' },
      statusVia: 'im' as const,
    };
    refused(() => new DispatcherClient({ dispatcher: { ...dispatcher, url: 'http://d.example.org/api' }, tokens, fetch }));
    refused(
      () =>
        new DispatcherClient({
          dispatcher: { ...dispatcher, imInfrastructuresUrl: 'http://im.example.org/infrastructures' },
          tokens,
          fetch,
        }),
    );
    refused(
      () =>
        new DispatcherClient({
          dispatcher: { ...dispatcher, provider: { ...dispatcher.provider, endpoint: 'http://k8s' } },
          tokens,
          fetch,
        }),
    );
    assert.doesNotThrow(() => new ImClient({ url: 'http://127.0.0.1:8800', tokens, fetch }));
    assert.doesNotThrow(() => new DispatcherClient({ dispatcher, tokens, fetch }));
  });
});
