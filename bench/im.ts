/**
 * Our overhead over IM's REST API: the same create (TOSCA posted, async) and
 * the same state poll, made through ImClient and made directly — one HTTP
 * request on a fresh connection with the header written by hand, as curl
 * would — alternately in the same run against the bed's real IM. IM's own
 * time varies by tens of ms from call to call, so the same pairs are also
 * timed against a server on 127.0.0.1 that answers IM's shapes at once: that
 * difference is our code alone. Goal: at most 50 ms per create and per poll.
 * Prints JSON.
 * Usage: tsx bench/im.ts [--runs N] [--polls N]   (needs `npm run testbed -- up`, with IM)
 */
import { createServer, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { renderPlan } from '../main/render/plan';
import { renderTosca } from '../main/render/tosca/render-tosca';
import { ImClient, type TokenSource } from '../main/targets/im';
import { testbedEnv } from '../test/support/testbed';
import { accessToken } from '../test/integration/im/support';
import { builtin } from '../test/unit/catalogue/fixtures';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => Number(args[args.indexOf(name) + 1] ?? fallback) || fallback;
const runs = args.includes('--runs') ? option('--runs', 10) : 10;
const polls = args.includes('--polls') ? option('--polls', 40) : 40;

const env = testbedEnv();
if (env.imUrl === undefined) throw new Error('the test bed runs without IM; start it without --no-im');
const imUrl = env.imUrl;
const token = await accessToken(env, readFileSync(env.caPath, 'utf8'), 'alice');
const tokens: TokenSource = { accessToken: () => Promise.resolve(token), withFreshToken: (call) => call(token) };
const client = new ImClient({ url: imUrl, tokens, authMode: 'token', kubernetesLine: { host: env.apiServerUrl, tokenFrom: 'user' } });
const header = `id = im; type = InfrastructureManager; token = ${token}\\nid = k8s; type = Kubernetes; host = ${env.apiServerUrl}; token = ${token}`;

/** curl-equivalent: one request, its own connection, the answer read whole. */
function direct(method: string, path: string, body?: string, base = imUrl): Promise<{ status: number; text: string; infId?: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json', authorization: header };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'text/yaml', 'content-length': String(Buffer.byteLength(body)) });
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const infId = res.headers.infid;
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          ...(typeof infId === 'string' ? { infId } : {}),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

function stats(values: number[]): { median: number; p90: number; min: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2));
  return { median: at(0.5), p90: at(0.9), min: at(0) };
}

async function waitConfigured(id: string): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    if ((await client.state(id)).state === 'configured') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const creates = { ours: [] as number[], direct: [] as number[], paired: [] as number[] };
for (let run = 0; run < runs; run += 1) {
  const name = (who: string): string => `bench-im-${who}-${Date.now().toString(36)}`;
  const oursTosca = renderTosca(renderPlan({ template: builtin('minio'), environment: { name: name('o') }, target: 'im' })).yaml;
  const directTosca = renderTosca(renderPlan({ template: builtin('minio'), environment: { name: name('d') }, target: 'im' })).yaml;
  // Alternate which goes first so IM's own warm-up favours neither.
  const first = run % 2 === 0 ? 'ours' : 'direct';
  const results: Record<string, number> = {};
  // Each create is timed with IM idle: IM is slower while it still builds the one before.
  for (const who of first === 'ours' ? ['ours', 'direct'] : ['direct', 'ours']) {
    let id: string;
    if (who === 'ours') {
      const { ms, value } = await timed(() => client.create(oursTosca, { async: true }));
      results.ours = ms;
      id = value.id;
    } else {
      const { ms, value } = await timed(() => direct('POST', '/infrastructures?async=1', directTosca));
      if (value.status !== 200 || value.infId === undefined) throw new Error(`direct create: HTTP ${value.status} ${value.text}`);
      results.direct = ms;
      id = value.infId;
    }
    await waitConfigured(id);
    await client.remove(id);
  }
  creates.ours.push(results.ours ?? 0);
  creates.direct.push(results.direct ?? 0);
  creates.paired.push((results.ours ?? 0) - (results.direct ?? 0));
}

const target = await client.create(
  renderTosca(renderPlan({ template: builtin('minio'), environment: { name: `bench-im-poll-${Date.now().toString(36)}` }, target: 'im' }))
    .yaml,
  { async: true },
);
await waitConfigured(target.id);
const statePolls = { ours: [] as number[], direct: [] as number[], paired: [] as number[] };
for (let i = 0; i < polls; i += 1) {
  const ours = await timed(() => client.state(target.id));
  const plain = await timed(async () => JSON.parse((await direct('GET', `/infrastructures/${target.id}/state`)).text) as unknown);
  statePolls.ours.push(ours.ms);
  statePolls.direct.push(plain.ms);
  statePolls.paired.push(ours.ms - plain.ms);
}
await client.remove(target.id);

const summary = (series: { ours: number[]; direct: number[]; paired: number[] }): object => {
  const overhead = stats(series.paired).median;
  return { ours: stats(series.ours), direct: stats(series.direct), overheadMedianMs: overhead, goalMs: 50, withinGoal: overhead <= 50 };
};

// The same pairs against a server that answers IM's shapes at once: what is left is our code.
const answered = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const id = 'c0ffee00-0000-0000-0000-000000000000';
    const create = req.method === 'POST';
    const body = create
      ? JSON.stringify({ uri: `http://127.0.0.1/infrastructures/${id}` })
      : JSON.stringify({ state: { state: 'configured', vm_states: { 0: 'configured' } } });
    res.writeHead(200, { 'content-type': 'application/json', ...(create ? { infid: id } : {}) });
    res.end(body);
  });
});
await new Promise<void>((resolve) => answered.listen(0, '127.0.0.1', resolve));
const address = answered.address();
const nullUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
const nullClient = new ImClient({ url: nullUrl, tokens, authMode: 'token', kubernetesLine: { host: env.apiServerUrl, tokenFrom: 'user' } });
const tosca = renderTosca(renderPlan({ template: builtin('minio'), environment: { name: 'bench-im-null' }, target: 'im' })).yaml;
const nullCreates = { ours: [] as number[], direct: [] as number[], paired: [] as number[] };
const nullPolls = { ours: [] as number[], direct: [] as number[], paired: [] as number[] };
for (let i = 0; i < 200; i += 1) {
  const ours = await timed(() => nullClient.create(tosca, { async: true }));
  const plain = await timed(async () => JSON.parse((await direct('POST', '/infrastructures?async=1', tosca, nullUrl)).text) as unknown);
  const oursPoll = await timed(() => nullClient.state('c0ffee00'));
  const plainPoll = await timed(
    async () => JSON.parse((await direct('GET', '/infrastructures/c0ffee00/state', undefined, nullUrl)).text) as unknown,
  );
  if (i < 20) continue; // warm-up
  nullCreates.ours.push(ours.ms);
  nullCreates.direct.push(plain.ms);
  nullCreates.paired.push(ours.ms - plain.ms);
  nullPolls.ours.push(oursPoll.ms);
  nullPolls.direct.push(plainPoll.ms);
  nullPolls.paired.push(oursPoll.ms - plainPoll.ms);
}
answered.close();

console.log(
  JSON.stringify(
    {
      node: process.version,
      im: imUrl,
      againstIm: { runs, polls, create: summary(creates), statePoll: summary(statePolls) },
      againstInstantServer: { runs: 180, create: summary(nullCreates), statePoll: summary(nullPolls) },
    },
    null,
    2,
  ),
);
