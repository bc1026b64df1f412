import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { describeKubeError } from '../../../main/kube/api-errors';
import { KubeClient } from '../../../main/kube/client';
import { loadKubeconfig } from '../../../main/kube/kubeconfig';
import { createCa, type Ca, type IssuedCert } from '../../testbed/ca';

/** Local servers standing in for an API server behind a proxy: answers GET /version and counts connections. */
describe('the connection to an API server', () => {
  let dir: string;
  let ca: Ca;
  let serving: IssuedCert;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'afp-conn-'));
    ca = await createCa(path.join(dir, 'ca'));
    serving = await ca.issue('server', ['127.0.0.1']);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function clientFor(port: number): KubeClient {
    const file = path.join(dir, `kubeconfig-${port}`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') },
          },
        ],
        users: [{ name: 'u', user: { token: 'secret-token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    return new KubeClient(loadKubeconfig({ file }).forContext('x'), { maxInFlight: 8 });
  }

  function listen(server: https.Server | http2.Http2SecureServer): Promise<number> {
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  }

  test('speaks HTTP/2: one TLS connection carries parallel requests, with the bearer token', async () => {
    let connections = 0;
    const tokens = new Set<string>();
    const server = http2.createSecureServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      tokens.add(req.headers.authorization ?? '');
      setTimeout(() => res.end(JSON.stringify({ path: req.url })), 20);
    });
    server.on('secureConnection', () => (connections += 1));
    const port = await listen(server);
    const client = clientFor(port);
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => client.get<{ path: string }>(`/version?i=${i}`)));
      assert.deepEqual(
        answers.map((a) => a.path),
        Array.from({ length: 12 }, (_, i) => `/version?i=${i}`),
      );
      assert.equal(client.protocol, 'h2');
      assert.equal(connections, 1);
      assert.deepEqual([...tokens], ['Bearer secret-token']);
    } finally {
      client.close();
      server.close();
    }
  });

  test('falls back to kept-alive HTTP/1.1 when the server offers no HTTP/2', async () => {
    let connections = 0;
    const server = https.createServer({ cert: serving.certPem, key: serving.keyPem, ALPNProtocols: ['http/1.1'] }, (req, res) => {
      res.end(JSON.stringify({ path: req.url, token: req.headers.authorization }));
    });
    server.on('secureConnection', () => (connections += 1));
    const port = await listen(server);
    const client = clientFor(port);
    try {
      const first = await client.get<{ path: string; token: string }>('/version');
      assert.deepEqual(first, { path: '/version', token: 'Bearer secret-token' });
      assert.equal(client.protocol, 'http1');
      for (let i = 0; i < 5; i += 1) await client.get('/version');
      assert.ok(connections <= 2, `connections are kept: ${connections}`);
    } finally {
      client.close();
      server.close();
    }
  });

  test('a failing answer carries the Status; 503 is retried, 404 is not', async () => {
    let calls = 0;
    const server = http2.createSecureServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      calls += 1;
      if (req.url === '/flaky' && calls < 3) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ kind: 'Status', message: 'etcd is slow', code: 503 }));
        return;
      }
      if (req.url === '/missing') {
        res.writeHead(404);
        res.end(JSON.stringify({ kind: 'Status', message: 'deployments.apps "x" not found', code: 404 }));
        return;
      }
      res.end('{}');
    });
    const port = await listen(server);
    const client = clientFor(port);
    try {
      assert.deepEqual(await client.get('/flaky'), {});
      assert.equal(calls, 3);
      calls = 0;
      await assert.rejects(client.get('/missing'), (e: unknown) => {
        const described = describeKubeError(e, { object: 'Deployment x' });
        return described.code === 'not_found' && described.message === 'Deployment x: deployments.apps "x" not found';
      });
      assert.equal(calls, 1);
    } finally {
      client.close();
      server.close();
    }
  });
});
