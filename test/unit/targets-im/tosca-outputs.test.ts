import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderPlan } from '../../../main/render/plan';
import { publishedEndpointOrder } from '../../../main/render/tosca/im-layout';
import { renderTosca } from '../../../main/render/tosca/render-tosca';
import { builtin } from '../catalogue/fixtures';

describe("link outputs in the order IM leaves a published container's endpoints", () => {
  it('node ports Kubernetes assigns come reversed, before the ones the document fixes', () => {
    assert.deepEqual(
      publishedEndpointOrder([
        { protocol: 'tcp', target: 9001 },
        { protocol: 'tcp', target: 9000 },
      ]),
      [1, 0],
    );
    assert.deepEqual(
      publishedEndpointOrder([
        { protocol: 'tcp', target: 1, source: 30001 },
        { protocol: 'tcp', target: 2 },
        { protocol: 'tcp', target: 3 },
      ]),
      [2, 1, 0],
    );
  });

  it("MinIO without an ingress domain: the console's output reads IM's second endpoint, the API's the first", () => {
    const { yaml } = renderTosca(renderPlan({ template: builtin('minio'), environment: { name: 'm' }, target: 'im' }));
    const outputs = (parse(yaml) as { topology_template: { outputs: Record<string, { value: unknown }> } }).topology_template.outputs;
    assert.deepEqual(outputs, {
      minio_console_endpoint: { value: { get_attribute: ['minio', 'endpoints', 1] } },
      minio_api_endpoint: { value: { get_attribute: ['minio', 'endpoints', 0] } },
    });
  });

  it("with an ingress domain the first endpoint is the Ingress's host, the console's link", () => {
    const { yaml } = renderTosca(
      renderPlan({
        template: builtin('minio'),
        environment: { name: 'm' },
        target: 'im',
        links: { ingressDomain: 'apps.example.org', tls: true },
      }),
    );
    const outputs = (parse(yaml) as { topology_template: { outputs: Record<string, { value: unknown }> } }).topology_template.outputs;
    assert.deepEqual(outputs.minio_console_endpoint, { value: { get_attribute: ['minio', 'endpoints', 0] } });
  });
});
