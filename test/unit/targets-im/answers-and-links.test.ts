import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AfpError } from '../../../main/errors';
import { siteProfileSchema } from '../../../main/site/profile-schema';
import { resolveDispatcher } from '../../../main/targets/dispatcher';
import { imBaseUrl, linksFromOutputs } from '../../../main/targets/im';
import { infrastructureIdOf, parseAnswer, stateAnswer } from '../../../main/targets/im/im-answers';
import type { LinkRecord } from '../../../main/inventory/record';

describe("IM's answers", () => {
  it('reads the state answer of IM 2.0, and refuses another shape plainly', () => {
    assert.deepEqual(
      parseAnswer(stateAnswer, '{"state": {"state": "configured", "vm_states": {"0": "configured"}}}', 'the state request'),
      { state: { state: 'configured', vm_states: { 0: 'configured' } } },
    );
    assert.throws(
      () => parseAnswer(stateAnswer, '<html>proxy</html>', 'the state request'),
      (error: unknown) =>
        error instanceof AfpError &&
        error.code === 'unavailable' &&
        error.message === "IM's answer to the state request is not JSON: <html>proxy</html>",
    );
    assert.throws(
      () => parseAnswer(stateAnswer, '{"state": "configured"}', 'the state request'),
      (error: unknown) =>
        error instanceof AfpError && /^IM's answer to the state request is not what IM 2\.0 sends: state: /.test(error.message),
    );
  });

  it('takes the id from the URI, and IM at its base URL however the profile writes it', () => {
    assert.equal(infrastructureIdOf('http://im.example:8800/infrastructures/6c45cd34-e78f-11f1\n'), '6c45cd34-e78f-11f1');
    assert.equal(imBaseUrl('https://im.example:8800/'), 'https://im.example:8800');
    assert.equal(imBaseUrl('https://im.example/im/infrastructures'), 'https://im.example/im');
  });
});

describe('outputs as links', () => {
  const link = (id: string, expose: LinkRecord['expose']): LinkRecord => ({
    id,
    title: id,
    component: 'minio',
    service: 'minio',
    port: 9001,
    path: '/',
    scheme: 'http',
    expose,
  });

  it('a published port (node address:node port) opens as a URL; an Ingress URL as it is; a cluster address is said, not linked', () => {
    const links = linksFromOutputs(
      [link('minio-console', 'nodeport'), link('web', 'ingress'), link('api', 'cluster'), link('missing', 'nodeport')],
      { minio_console_endpoint: '127.0.0.1:31234', web_endpoint: 'https://web.example/lab', api_endpoint: 'minio-5ee1119e:9001' },
      true,
    );
    assert.deepEqual(
      links.map(({ id, via, url, title }) => ({ id, via, url, title })),
      [
        { id: 'minio-console', via: 'nodeport', url: 'http://127.0.0.1:31234/', title: 'minio-console' },
        { id: 'web', via: 'ingress', url: 'https://web.example/lab', title: 'web' },
        { id: 'api', via: 'url', url: undefined, title: 'api (inside the cluster only: minio-5ee1119e:9001)' },
        { id: 'missing', via: 'url', url: undefined, title: 'missing' },
      ],
    );
    assert.notEqual(
      links[0]?.version,
      linksFromOutputs([link('minio-console', 'nodeport')], { minio_console_endpoint: '127.0.0.1:31235' }, true)[0]?.version,
      'a changed URL changes the version',
    );
  });
});

describe('the profile for the dispatcher', () => {
  const profile = (targets: unknown): ReturnType<typeof siteProfileSchema.safeParse> =>
    siteProfileSchema.safeParse({ apiVersion: 'afp.dev/v1', kind: 'SiteProfile', site: { name: 'S', logo: 'l.svg' }, targets });

  it("takes IM's URL and the cluster from targets.im when the dispatcher does not name them", () => {
    const parsed = profile({
      dispatcher: { url: 'https://d.example/api/v1/deployments' },
      im: { url: 'https://im.example:8800', kubernetesLine: { host: 'https://k8s.example:6443', tokenFrom: 'user' } },
    });
    assert.ok(parsed.success);
    const targets = parsed.data.targets;
    assert.ok(targets?.dispatcher !== undefined);
    assert.deepEqual(resolveDispatcher(targets.dispatcher, targets.im), {
      url: 'https://d.example/api/v1/deployments',
      imInfrastructuresUrl: 'https://im.example:8800/infrastructures',
      provider: { name: 'k8s', type: 'Kubernetes', endpoint: 'https://k8s.example:6443' },
      statusVia: 'im',
    });
  });

  it("says which field is missing when neither names IM's URL or the cluster", () => {
    const parsed = profile({ dispatcher: { url: 'https://d.example/api/v1/deployments' } });
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      [
        "targets.dispatcher.imUrl: the dispatcher needs IM's URL: set dispatcher.imUrl or im.url",
        "targets.dispatcher.provider.endpoint: the dispatcher needs the cluster's API server: set dispatcher.provider.endpoint or im.kubernetesLine.host",
      ],
    );
  });

  it('without targets.im, status is not followed unless the profile says proxy', () => {
    const parsed = profile({
      dispatcher: {
        url: 'https://d.example/api/v1/deployments',
        imUrl: 'http://im.internal:8800',
        provider: { endpoint: 'https://k8s.example' },
      },
    });
    assert.ok(parsed.success && parsed.data.targets?.dispatcher !== undefined);
    assert.equal(resolveDispatcher(parsed.data.targets.dispatcher, undefined).statusVia, 'none');
  });
});
