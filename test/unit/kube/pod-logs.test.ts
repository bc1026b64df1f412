import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { ResumePoint, splitTimestamp } from '../../../main/kube/log-resume';
import { readPodLog } from '../../../main/kube/pod-logs';

/** A stand-in for the API server's log subresource: each test says what each request gets. */
type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void;

describe('a container log read from the API server (a local stand-in for the log subresource)', () => {
  let server: http.Server;
  let answers: Answer[] = [];
  const asked: URL[] = [];
  let kc: KubeConfig;

  before(async () => {
    server = http.createServer((req, res) => {
      asked.push(new URL(req.url ?? '/', 'http://x'));
      const answer = answers.shift();
      if (answer === undefined) res.writeHead(500).end();
      else answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    kc = new KubeConfig();
    kc.loadFromOptions({
      // client-node lets plain HTTP through only with skipTLSVerify.
      clusters: [{ name: 'bed', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'me', token: 't0ken' }],
      contexts: [{ name: 'bed', cluster: 'bed', user: 'me' }],
      currentContext: 'bed',
    });
  });
  after(() => server.close());

  const reset = (...next: Answer[]): void => {
    answers = next;
    asked.length = 0;
  };
  const cutAfter =
    (text: string): Answer =>
    (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(text);
      setTimeout(() => req.socket.destroy(), 100);
    };
  const endWith =
    (text: string): Answer =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(text);
    };
  const read = async (follow: boolean, delays = [10, 10]): Promise<{ lines: string[]; error?: Error }> => {
    const lines: string[] = [];
    try {
      await readPodLog(
        kc,
        { namespace: 'ns', pod: 'p', container: 'main', follow, tailLines: 500 },
        (l) => lines.push(l),
        AbortSignal.timeout(10_000),
        delays,
      );
      return { lines };
    } catch (error) {
      return { lines, error: error as Error };
    }
  };

  it('a followed log that is cut reopens from the last line and hands each line on once, without timestamps', async () => {
    reset(
      cutAfter('2026-12-06T22:50:01.1Z line 1\n2026-12-06T22:50:01.25Z line 2\n2026-12-06T22:50:02.5Z part'),
      // Reopened from 22:50:01: the API repeats that second's lines.
      endWith(
        '2026-12-06T22:50:01.1Z line 1\n2026-12-06T22:50:01.25Z line 2\n2026-12-06T22:50:02.5Z partial line, whole\n2026-12-06T22:50:03Z line 4\n',
      ),
    );
    const { lines, error } = await read(true);
    assert.equal(error, undefined);
    assert.deepEqual(lines, ['line 1', 'line 2', 'partial line, whole', 'line 4']);
    assert.equal(asked[0]?.searchParams.get('tailLines'), '500');
    assert.equal(asked[0]?.searchParams.get('timestamps'), 'true');
    assert.equal(asked[1]?.searchParams.get('sinceTime'), '2026-12-06T22:50:01Z');
    assert.equal(asked[1]?.searchParams.get('tailLines'), null, 'not the last 500 lines again');
  });

  it('ends with an error in words once the log cannot be reopened, instead of going silent', async () => {
    reset(cutAfter('2026-12-06T22:50:01Z one\n'), cutAfter(''), cutAfter(''), cutAfter(''));
    const { lines, error } = await read(true, [10, 10]);
    assert.deepEqual(lines, ['one']);
    assert.match(
      error?.message ?? '',
      /log of container main in pod ns\/p: the connection was cut and could not be reopened after 2 tries/,
    );
  });

  it('a log read once that is cut is an error, not a silently short log', async () => {
    reset(cutAfter('2026-12-06T22:50:01Z one\n'));
    const { error } = await read(false);
    assert.match(error?.message ?? '', /closed the connection/);
    assert.equal(asked.length, 1);
  });

  it('a refusal ends the follow at once, in words', async () => {
    reset((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: 'pods "p" not found', reason: 'NotFound', code: 404 }));
    });
    const { error } = await read(true);
    assert.match(error?.message ?? '', /pods "p" not found/);
    assert.equal(asked.length, 1);
  });

  it('sends the kubeconfig credentials', async () => {
    let auth: string | undefined;
    reset((req, res) => {
      auth = req.headers.authorization;
      endWith('')(req, res);
    });
    await read(false);
    assert.equal(auth, 'Bearer t0ken');
  });
});

describe('where a followed log reopens', () => {
  it('splits the timestamp from the text; a line without one is all text', () => {
    assert.deepEqual(splitTimestamp('2026-12-06T22:50:01.123456789Z hello world'), {
      timestamp: '2026-12-06T22:50:01.123456789Z',
      text: 'hello world',
    });
    assert.deepEqual(splitTimestamp('no stamp here'), { timestamp: undefined, text: 'no stamp here' });
  });

  it('compares fractions as numbers, though Go trims their trailing zeros', () => {
    const resume = new ResumePoint();
    assert.ok(resume.accept('2026-12-06T22:50:01.5Z'));
    resume.since();
    assert.equal(resume.accept('2026-12-06T22:50:01.45Z'), false, 'earlier: seen');
    assert.equal(resume.accept('2026-12-06T22:50:01.5Z'), false, 'the same line again');
    assert.equal(resume.accept('2026-12-06T22:50:01.50001Z'), true, 'later by 10 µs');
  });

  it('two lines with one timestamp: the replay skips both, then takes the next', () => {
    const resume = new ResumePoint();
    resume.accept('2026-12-06T22:50:01.1Z');
    resume.accept('2026-12-06T22:50:01.1Z');
    assert.equal(resume.since(), '2026-12-06T22:50:01Z');
    assert.equal(resume.accept('2026-12-06T22:50:01.1Z'), false);
    assert.equal(resume.accept('2026-12-06T22:50:01.1Z'), false);
    assert.equal(resume.accept('2026-12-06T22:50:01.1Z'), true, 'a third line of that instant is new');
  });
});
