/**
 * Every listener the app starts (the preview's HTTP bridge, the sign-in
 * loopback listener) survives any request line: random methods, targets and
 * paths are written over raw TCP, with a valid Host header and the token so
 * they reach the handler, and the listener must answer the next request.
 * The listeners run in a child process: a request that throws kills it, as it
 * would kill the preview.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { holds, fuzzParameters } from './support';

interface Ports {
  bridge: { port: number; token: string };
  loopback: number;
}

/** Writes one raw request; resolves with what came back before the socket closed or `waitMs` passed. */
function raw(port: number, text: string, waitMs = 1500): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (): void => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    socket.setTimeout(waitMs, done);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', done);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done() : reject(error)));
    socket.end(text, 'latin1');
  });
}

function request(port: number, method: string, target: string, headers: Record<string, string>): string {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
}

const pathChars = fc.constantFrom(...'/%?#[]@:!$&\'()*+,;=._~-aZ09\\{}|^`"<>'.split(''), '%E0%A4%A', '%', '%00', '%ZZ', '..', '//');
const anyPath = fc.array(pathChars, { maxLength: 24 }).map((parts) => parts.join(''));
const anyTarget = fc.oneof(
  fc.constantFrom(
    'http://[/x',
    'http://[::1',
    '*',
    '//',
    'http://127.0.0.1',
    'https://a:b@c/',
    'x',
    '%',
    '/api/request/%E0%A4%A',
    '/callback%',
  ),
  anyPath.map((p) => `/${p}`),
  anyPath.map((p) => `/api/request/${p}`),
  anyPath.map((p) => `/callback${p}`),
  anyPath.map((p) => `/api/${p}`),
  anyPath.map((p) => `http://${p}`),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 }).filter((s) => !/[\s\r\n]/.test(s)),
);
const anyMethod = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'PATCH', 'BREW');

describe('every listener survives any request line', { timeout: 240_000 }, () => {
  let child: ChildProcess;
  let ports: Ports;
  let exited: string | undefined;

  // A fresh process per test, so one crash shows in the test that caused it.
  beforeEach(async () => {
    exited = undefined;
    child = spawn(process.execPath, ['--import', 'tsx', new URL('../../support/listeners-child.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => (exited = `the listeners' process exited (${code ?? signal}): ${stderr.slice(0, 2000)}`));
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', () => reject(new Error(exited)));
    });
    ports = JSON.parse(first) as Ports;
  });
  afterEach(() => {
    child.removeAllListeners('exit');
    child.kill();
  });

  async function stillAnswers(port: number, target: string, extra: Record<string, string>): Promise<void> {
    assert.equal(exited, undefined, exited);
    const answer = await raw(port, request(port, 'GET', target, extra));
    assert.match(answer, /^HTTP\/1\.1 \d{3} /, 'no answer after the fuzzed request');
  }

  it('the two requests of the report: an absolute target that is no URL, a path that is no UTF-8', async () => {
    const { port, token } = ports.bridge;
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const broken = await raw(port, request(port, 'GET', 'http://[/x', {}));
    assert.match(broken, /^HTTP\/1\.1 400 /);
    const badName = await raw(port, request(port, 'POST', '/api/request/%E0%A4%A', auth));
    assert.match(badName, /^HTTP\/1\.1 (400|404) /);
    await stillAnswers(port, '/', {});
    assert.match(await raw(ports.loopback, request(ports.loopback, 'GET', 'http://[/x', {})), /^HTTP\/1\.1 (400|404) /);
    await stillAnswers(ports.loopback, '/favicon.ico', {});
  });

  it('the preview bridge answers after any request line (with the token)', async () => {
    const { port, token } = ports.bridge;
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    await holds(
      fc.asyncProperty(anyMethod, anyTarget, fc.boolean(), async (method, target, withToken) => {
        await raw(port, request(port, method, target, withToken ? auth : {}), 400);
        await stillAnswers(port, '/', {});
      }),
      fuzzParameters(150),
    );
  });

  it('the sign-in loopback listener answers after any request line', async () => {
    const port = ports.loopback;
    await holds(
      fc.asyncProperty(anyMethod, anyTarget, async (method, target) => {
        await raw(port, request(port, method, target, {}), 400);
        await stillAnswers(port, '/favicon.ico', {});
      }),
      fuzzParameters(150),
    );
  });
});
