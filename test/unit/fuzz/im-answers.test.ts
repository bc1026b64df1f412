/**
 * Fuzzed IM and dispatcher answers: whatever status and body a server (or a
 * proxy in front of it) sends, the clients end in a value or an AfpError in
 * words. The answers reach the real clients through their fetch seam.
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DispatcherClient } from '../../../main/targets/dispatcher/dispatcher-client';
import { ImClient, type InfrastructureState } from '../../../main/targets/im/im-client';
import type { LinkRecord } from '../../../main/inventory/record';
import { imStateToPhase, vmSummary } from '../../../main/targets/im/im-state';
import { linksFromOutputs } from '../../../main/targets/im/outputs-links';
import type { TokenSource } from '../../../main/targets/im/token-source';
import { fuzzParameters, settle, holds } from './support';

const tokens: TokenSource = {
  accessToken: () => Promise.resolve('token'),
  withFreshToken: (call) => call('token'),
};
const HUB_LINK: LinkRecord = {
  id: 'hub-http',
  title: 'JupyterHub',
  component: 'hub',
  service: 'proxy-public',
  port: 8000,
  scheme: 'http',
  path: '/',
  expose: 'nodeport',
};
const noRetry = { attempts: 1, backoff: { initialMs: 1, maxMs: 1 } };

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Bodies shaped like IM's (state, outputs, uri-list, errors with tracebacks), broken in one place, or not JSON at all. */
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record({
      state: fc.record({
        state: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('running', 'configured', 'failed', 'unknown')),
        vm_states: fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
      }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ outputs: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }))) })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ 'uri-list': fc.array(fc.record({ uri: fc.oneof(fc.webUrl(), fc.string({ maxLength: 10 })) }), { maxLength: 3 }) })
    .map((v) => JSON.stringify(v)),
  fc.record({ message: fc.string({ maxLength: 300 }), code: fc.integer() }).map((v) => JSON.stringify(v)),
  fc.record({ detail: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 })) }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '<html><body><h1>502 Bad Gateway</h1></body></html>',
    '{"uri": "http://im:8800/infrastructures/"}',
    '{ not json',
    '{"message": "Error Creating Inf.: Traceback (most recent call last):\\n  File \\"x.py\\", line 3\\n    raise X\\nyaml.scanner.ScannerError: line 12, column 3"}',
    'http://im:8800/infrastructures/abc\nhttp://im:8800/infrastructures/def',
    '',
  ),
);

const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 500, 502, 503), fc.integer({ min: 200, max: 599 })),
  body,
  headers: fc.oneof(
    fc.constant({}),
    fc.record({ infid: fc.string({ maxLength: 10 }) }),
    fc.record({ 'content-type': fc.constantFrom('text/html', 'application/json', 'text/uri-list') }),
  ),
});

function fetchAnswering(a: Answer) {
  return (): Promise<Response> => {
    const noBody = a.status === 204 || a.status === 205 || a.status === 304;
    const headers = new Headers();
    for (const [k, v] of Object.entries(a.headers)) if (/^[\x20-\x7e]*$/.test(v)) headers.set(k, v);
    return Promise.resolve(new Response(noBody ? null : a.body, { status: a.status, headers }));
  };
}

describe('fuzzed IM and dispatcher answers', { timeout: 120_000 }, () => {
  it('every IM call ends in a value or a clear error, whatever IM answers', async () => {
    await holds(
      fc.asyncProperty(answer, fc.constantFrom('create', 'state', 'outputs', 'contmsg', 'list', 'remove'), async (a, call) => {
        const im = new ImClient({ url: 'http://im.example:8800', tokens, retry: noRetry, fetch: fetchAnswering(a) });
        const run: () => Promise<unknown> = {
          create: () => im.create('tosca_definitions_version: tosca_simple_yaml_1_0\n'),
          state: () => im.state('inf-1'),
          outputs: () => im.outputs('inf-1'),
          contmsg: () => im.contmsg('inf-1'),
          list: () => im.list(),
          remove: () => im.remove('inf-1'),
        }[call];
        const { value } = await settle(run);
        if (call === 'state' && value !== undefined) {
          imStateToPhase((value as InfrastructureState).state);
        }
        if (call === 'outputs' && value !== undefined) {
          const views = linksFromOutputs([HUB_LINK], value as Record<string, unknown>, true);
          for (const view of views)
            if (view.url !== undefined && !/^https?:\/\//.test(view.url)) throw new Error(`a link that is not a web URL: ${view.url}`);
        }
      }),
      fuzzParameters(120),
    );
  });

  it('IM states and VM states of any spelling are shown in words', () => {
    return holds(
      fc.property(fc.string({ maxLength: 20 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 12 })), (state, vms) => {
        const phase = imStateToPhase(state);
        if (typeof phase.phase !== 'string') throw new Error('no phase');
        vmSummary(vms);
      }),
      fuzzParameters(120),
    );
  });

  it('the dispatcher: a value or a clear error, whatever it answers', async () => {
    await holds(
      fc.asyncProperty(answer, async (a) => {
        const client = new DispatcherClient({
          dispatcher: {
            url: 'http://dispatcher.example/infrastructures',
            imInfrastructuresUrl: 'http://im.example:8800/infrastructures',
            provider: { name: 'k8s', type: 'Kubernetes', endpoint: 'https://k8s.example:6443' },
            statusVia: 'im',
          },
          tokens,
          retry: noRetry,
          fetch: fetchAnswering(a),
        });
        await settle(() => client.create('tosca_definitions_version: tosca_simple_yaml_1_0\n'));
      }),
      fuzzParameters(120),
    );
  });
});
