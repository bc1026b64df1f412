import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultProxy } from '../../testbed/fault/proxy';
import { adminTls, kubectl, testbedEnv, withNamespace } from '../../support/testbed';
import type { AdminTls } from '../../support/testbed';

/** GET through `agent`; resolves with the status and the time it took. */
function timedGet(url: string, agent: Agent): Promise<{ status: number; ms: number }> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - began }));
    });
    req.on('error', reject);
    req.end();
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function medianGet(url: string, agent: Agent, times = 5): Promise<number> {
  await timedGet(url, agent); // the TLS handshake happens once, on a kept-alive connection
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await timedGet(url, agent)).ms);
  return median(samples);
}

describe('fault proxy in front of the API server (TCP level, TLS passes through)', () => {
  let tls: AdminTls;
  let proxy: FaultProxy;

  before(async () => {
    tls = adminTls();
    const api = new URL(testbedEnv().apiServerUrl);
    // A proxy of this test's own, so its faults never reach tests running beside it.
    proxy = await FaultProxy.start({
      name: 'test-api',
      mode: 'tcp',
      upstream: { host: api.hostname, port: Number(api.port), tlsCa: tls.ca },
    });
  });
  after(() => proxy.close());

  test('added latency shows in the round trip (40 ms each way ≈ 80 ms more per request)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ...tls });
    try {
      const plain = await medianGet(`${proxy.url}/version`, agent);
      proxy.set({ latencyMs: { up: 40, down: 40 } });
      const slowed = await medianGet(`${proxy.url}/version`, agent);
      // 80 ms are added; a loaded 2-core machine shaves a few ms off the timer, never half of it.
      assert.ok(slowed - plain >= 60, `expected ≥ 60 ms more, got ${plain.toFixed(1)} → ${slowed.toFixed(1)} ms`);
      assert.ok(slowed - plain < 400, `latency should be close to the setting, got ${plain.toFixed(1)} → ${slowed.toFixed(1)} ms`);
    } finally {
      proxy.clear();
      agent.destroy();
    }
  });

  test('cutting long-lived connections ends an open watch', async (t) => {
    const namespace = await withNamespace(t, 'watch');
    const agent = new Agent({ keepAlive: false, ...tls });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${proxy.url}/api/v1/namespaces/${namespace}/configmaps?watch=true`, { agent }, resolve);
      req.on('error', reject);
      req.end();
    });
    assert.equal(response.statusCode, 200);
    const ended = new Promise<string>((resolve) => {
      response.on('error', () => resolve('error'));
      response.on('close', () => resolve('closed'));
      response.resume();
    });
    await sleep(300);
    assert.ok(proxy.cut({ minAgeMs: 200 }) >= 1, 'the watch connection was cut');
    const outcome = await Promise.race([ended, sleep(5000).then(() => 'still open')]);
    assert.notEqual(outcome, 'still open');
  });

  test('paused traffic waits until resumed', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ...tls });
    try {
      await timedGet(`${proxy.url}/version`, agent);
      proxy.pause();
      const pending = timedGet(`${proxy.url}/version`, agent);
      const early = await Promise.race([pending.then(() => 'answered'), sleep(500).then(() => 'held')]);
      assert.equal(early, 'held');
      proxy.resume();
      assert.equal((await pending).status, 200);
    } finally {
      proxy.clear();
      agent.destroy();
    }
  });

  test('refused connections are reset', async () => {
    proxy.set({ refuseConnections: true });
    try {
      const agent = new Agent({ keepAlive: false, ...tls });
      await assert.rejects(timedGet(`${proxy.url}/version`, agent), /ECONNRESET|socket hang up/);
    } finally {
      proxy.clear();
    }
  });

  test('a TCP-level proxy refuses to inject HTTP errors, saying why', () => {
    assert.throws(() => proxy.set({ httpErrors: [{ status: 503 }] }), /TCP level/);
  });
});

describe('fault proxy in HTTP mode (plain HTTP upstream)', () => {
  let upstream: Server;
  let proxy: FaultProxy;
  const body = Buffer.alloc(256 * 1024, 'x');

  before(async () => {
    upstream = createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    proxy = await FaultProxy.start({
      name: 'test-http',
      mode: 'http',
      upstream: { host: '127.0.0.1', port: typeof address === 'object' && address !== null ? address.port : 0 },
    });
  });
  after(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  test('chosen requests get a 5xx, the rest pass', async () => {
    proxy.set({ httpErrors: [{ status: 503, method: 'POST', path: '^/infrastructures', times: 1 }] });
    try {
      assert.equal((await fetch(`${proxy.url}/infrastructures`, { method: 'POST', body: 'x' })).status, 503);
      assert.equal(
        (await fetch(`${proxy.url}/infrastructures`, { method: 'POST', body: 'x' })).status,
        200,
        'only the first request fails (times: 1)',
      );
      assert.equal((await fetch(`${proxy.url}/infrastructures`)).status, 200, 'GET is not matched');
      assert.equal(proxy.stats().injectedErrors, 1);
    } finally {
      proxy.clear();
    }
  });

  test('a bandwidth cap slows a download', async () => {
    proxy.set({ bandwidthBytesPerSecond: 512 * 1024 });
    try {
      const began = performance.now();
      const response = await fetch(`${proxy.url}/big`);
      assert.equal((await response.arrayBuffer()).byteLength, body.length);
      const ms = performance.now() - began;
      assert.ok(ms >= 400, `256 KiB at 512 KiB/s takes ≥ 0.4 s, took ${ms.toFixed(0)} ms`);
    } finally {
      proxy.clear();
    }
  });
});

test('the control endpoint drives the bed’s shared API server proxy', async () => {
  const shared = testbedEnv().proxies.apiServer;
  assert.ok(shared !== undefined, 'env.proxies.apiServer is set');
  const set = await fetch(`${shared.control}/settings`, { method: 'POST', body: JSON.stringify({ latencyMs: { up: 1, down: 2 } }) });
  assert.equal(set.status, 200);
  try {
    const state = (await (await fetch(shared.control)).json()) as { mode: string; settings: { latencyMs: { up: number; down: number } } };
    assert.equal(state.mode, 'tcp');
    assert.deepEqual(state.settings.latencyMs, { up: 1, down: 2 });
  } finally {
    await fetch(`${shared.control}/clear`, { method: 'POST' });
  }
});

test('the HTTP-mode API server proxy passes bearer tokens and fails chosen requests, such as a watch with 410 Gone', async (t) => {
  const namespace = await withNamespace(t, 'http-proxy');
  const shared = testbedEnv().proxies.apiServerHttp;
  assert.ok(shared?.kubeconfig !== undefined, 'env.proxies.apiServerHttp has a token kubeconfig');
  const through = await kubectl(['get', 'configmaps', '-n', namespace, '-o', 'name'], { kubeconfig: shared.kubeconfig });
  assert.equal(through.code, 0, through.stderr);

  // Only this test's namespace is matched, so tests beside it are not disturbed.
  const rule = { status: 410, method: 'GET', path: `^/api/v1/namespaces/${namespace}/configmaps\\?.*watch=(true|1)`, times: 1 };
  const set = await fetch(`${shared.control}/settings`, { method: 'POST', body: JSON.stringify({ httpErrors: [rule] }) });
  assert.equal(set.status, 200, await set.text());
  try {
    const { ca } = adminTls();
    const url = `${shared.url}/api/v1/namespaces/${namespace}/configmaps?watch=true`;
    const watch = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(url, { ca, headers: { authorization: `Bearer ${testbedEnv().adminToken}` } }, (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy();
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await watch(), 410);
    assert.equal(await watch(), 200, 'the rule fired once (times: 1)');
  } finally {
    await fetch(`${shared.control}/settings`, { method: 'POST', body: JSON.stringify({ httpErrors: [] }) });
  }
});
