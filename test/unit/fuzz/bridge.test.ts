/**
 * Fuzzed bridge requests through the real HTTP bridge: any request name, any
 * JSON body, contract-shaped bodies with one field wrong. The answer is always
 * JSON: a value, or an error with a known code and a message in words.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { HTTP_REQUEST_PREFIX, requestNames } from '../../../main/api';
import { createApp } from '../../../main/app';
import { startHttpBridge, type HttpBridge } from '../../../main/bridge/http';
import type { ApiErrorShape } from '../../../main/errors';
import { createLogger } from '../../../main/log';
import { testHost } from '../../support/host';
import { assertClearError, CASE_BUDGET_MS, fuzzParameters, holds, yamlValue } from './support';

// Requests that write where the input says (a folder chosen by the user) are left out: random paths would litter the disk.
const WRITES_FILES = new Set(['plan.export']);
const names = requestNames.filter((n) => !WRITES_FILES.has(n));

interface Reply {
  status: number;
  body: string;
}

function post(bridge: HttpBridge, name: string, body: string): Promise<Reply> {
  const url = new URL(bridge.origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        method: 'POST',
        path: `${HTTP_REQUEST_PREFIX}${encodeURIComponent(name)}`,
        headers: { Host: url.host, Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Bodies shaped like the contract's inputs: known field names with odd values. */
const fieldNames = [
  'id',
  'name',
  'url',
  'file',
  'kubeconfig',
  'context',
  'values',
  'template',
  'plan',
  'linkId',
  'operationId',
  'method',
  'language',
  'theme',
  'source',
  'target',
  'environment',
  'directory',
  'format',
];
const shapedBody = fc
  .dictionary(
    fc.constantFrom(...fieldNames),
    fc.oneof(yamlValue, fc.dictionary(fc.constantFrom(...fieldNames), yamlValue, { maxKeys: 3 })),
    { maxKeys: 4 },
  )
  .map((v) => JSON.stringify(v));
const anyBody = fc.oneof(
  shapedBody,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  fc.constant(''),
  fc.constant('{"__proto__": {"polluted": true}}'),
);
const anyName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...names) },
  fc.string({ maxLength: 30 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '../settings.get', 'settings.get/x'),
);

describe('fuzzed requests through the HTTP bridge', { timeout: 180_000 }, () => {
  const app = createApp({ host: testHost(), log: createLogger(() => undefined) });
  let bridge: HttpBridge;

  before(async () => {
    bridge = await startHttpBridge({ dispatch: app.dispatch, events: app.events });
  });
  after(async () => {
    await bridge.close();
    await app.dispose();
  });

  it('answers any name and body with JSON: a value or a clear error', async () => {
    await holds(
      fc.asyncProperty(anyName, anyBody, async (name, body) => {
        const started = Date.now();
        const reply = await post(bridge, name, body);
        assert.ok(Date.now() - started < CASE_BUDGET_MS * 3, `${name} took ${Date.now() - started} ms`);
        assert.ok([200, 400, 404].includes(reply.status), `HTTP ${reply.status} for ${name}`);
        const answer = JSON.parse(reply.body) as { ok: boolean; error?: ApiErrorShape };
        if (!answer.ok) {
          assert.ok(answer.error !== undefined);
          assertClearError(answer.error);
          assert.notEqual(
            answer.error.code,
            'internal',
            `an input error must not surface as internal: ${name} ${body} → ${JSON.stringify(answer.error)}`,
          );
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
      }),
      fuzzParameters(120),
    );
  });
});
