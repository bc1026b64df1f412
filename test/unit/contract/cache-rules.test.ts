/**
 * The contract's cache rules (main/api.ts) and the renderer's query cache
 * obeying them (renderer/client/cache-rules.ts): after each event, exactly the
 * answers the rules name are asked again, and an event's own answer replaces
 * the cached one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { CACHE_RULES, eventSchema, freshAnswer, requestNames, staleAfter, type AppEvent, type RequestName } from '../../../main/api';
import { applyCacheRules } from '../../../renderer/client/cache-rules';

type Batch = Extract<AppEvent, { type: 'environments.batch' }>;
type Delta = Batch['deltas'][number];

const batch = (delta: Partial<Delta>): AppEvent => ({
  type: 'environments.batch',
  deltas: [{ environmentId: 'e1', name: 'lab', ...delta }],
});
const pod = { id: 'p1', version: '2', name: 'web-0', phase: 'Running', ready: true, restarts: 0, createdAt: '2026-01-01T00:00:00Z' };
const link = { id: 'l1', version: '1', title: 'Hub', component: 'hub', via: 'ingress' as const, ready: true };
const done: AppEvent = { type: 'operation.done', operationId: 'o1', environmentId: 'e1', kind: 'update', outcome: 'succeeded' };

/** A cache holding one answer per key, counting how often each is fetched; `shown` keys have a page observing them. */
async function cacheWith(
  keys: [RequestName, object][],
  shown: RequestName[],
): Promise<{ queries: QueryClient; fetches: Map<string, number> }> {
  const queries = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const fetches = new Map<string, number>();
  for (const [name, input] of keys) {
    const key = JSON.stringify([name, input]);
    const options = { queryKey: [name, input], queryFn: () => Promise.resolve(fetches.set(key, (fetches.get(key) ?? 0) + 1).get(key)) };
    await queries.prefetchQuery(options);
    if (shown.includes(name)) new QueryObserver(queries, options).subscribe(() => undefined);
  }
  return { queries, fetches };
}

async function askedAgain(event: AppEvent, keys: [RequestName, object][], shown: RequestName[]): Promise<string[]> {
  const { queries, fetches } = await cacheWith(keys, shown);
  applyCacheRules(queries, event);
  await new Promise((resolve) => setTimeout(resolve, 20));
  return [...fetches.entries()].filter(([, count]) => count > 1).map(([key]) => key);
}

describe('cache rules', () => {
  it('give every event of the contract a rule', () => {
    const types = eventSchema.options.map((option) => option.shape.type.value).sort();
    assert.deepEqual(Object.keys(CACHE_RULES).sort(), types);
  });

  it('an event that comes while a first answer is on its way is not lost: the answer read before it is asked again', async () => {
    // The Deploy page of an operation that fails at once: its record's first fetch reads "running" on the server,
    // the operation ends and its operation.done arrives, then that first answer lands.
    const queries = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    let server = 'running';
    let landFirst: () => void = () => undefined;
    let fetches = 0;
    const options = {
      queryKey: ['environments.get', { id: 'e1' }],
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        fetches += 1;
        const read = server;
        if (fetches === 1)
          await new Promise<void>((resolve) => {
            landFirst = resolve;
            signal.addEventListener('abort', () => resolve());
          });
        return read;
      },
    };
    const seen: (string | undefined)[] = [];
    new QueryObserver(queries, options).subscribe((result) => seen.push(result.data));
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(fetches, 1, 'the first fetch is on its way');

    server = 'failed';
    applyCacheRules(queries, { ...done, environmentId: 'e1', kind: 'deploy', outcome: 'failed' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    landFirst();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(queries.getQueryData(['environments.get', { id: 'e1' }]), 'failed');
    assert.ok(!seen.includes('running'), `the answer read before the event is never shown (seen: ${seen.join(', ')})`);
  });

  it('a catalogue change makes templates and rendered plans stale, and asks again only for those on screen', async () => {
    assert.deepEqual(staleAfter({ type: 'catalogue.changed' }), { requests: ['templates.list', 'templates.get', 'plan.render'] });
    const asked = await askedAgain(
      { type: 'catalogue.changed' },
      [
        ['templates.list', {}],
        ['templates.get', { name: 'dask' }],
        ['environments.list', {}],
      ],
      ['templates.list', 'environments.list'],
    );
    assert.deepEqual(asked, ['["templates.list",{}]']);
  });

  it("an operation's end asks again for every environment answer, shown or not", async () => {
    const stale = staleAfter(done);
    assert.equal(stale.everywhere, true);
    assert.deepEqual([...stale.requests].sort(), requestNames.filter((name) => name.startsWith('environments.')).sort());
    const asked = await askedAgain(
      done,
      [
        ['environments.list', {}],
        ['environments.get', { id: 'e1' }],
        ['environments.get', { id: 'e2' }],
        ['templates.list', {}],
      ],
      ['environments.list'],
    );
    assert.deepEqual(asked.sort(), ['["environments.get",{"id":"e1"}]', '["environments.get",{"id":"e2"}]', '["environments.list",{}]']);
  });

  it('a live batch makes the list stale only when it changes what the list shows (status, links, tracking)', async () => {
    assert.deepEqual(staleAfter(batch({ upserted: { pods: [pod] } })).requests, []);
    assert.deepEqual(staleAfter(batch({ removed: { events: ['x'] } })).requests, []);
    assert.deepEqual(staleAfter(batch({ status: { phase: 'Ready', since: '2026-01-01T00:00:00Z' } })).requests, ['environments.list']);
    assert.deepEqual(staleAfter(batch({ upserted: { links: [link] } })).requests, ['environments.list']);
    assert.deepEqual(staleAfter(batch({ removed: { links: ['l1'] } })).requests, ['environments.list']);
    assert.deepEqual(staleAfter(batch({ untracked: true })).requests, ['environments.list']);
    const keys: [RequestName, object][] = [
      ['environments.list', {}],
      ['environments.get', { id: 'e1' }],
    ];
    assert.deepEqual(await askedAgain(batch({ upserted: { pods: [pod] } }), keys, ['environments.list', 'environments.get']), []);
    assert.deepEqual(await askedAgain(batch({ upserted: { links: [link] } }), keys, ['environments.list', 'environments.get']), [
      '["environments.list",{}]',
    ]);
  });

  it('a new profile or sign-in state replaces the cached answer instead of asking again', async () => {
    const status = { state: 'signed-out' as const, persistent: false, requiredGroups: [], allowed: false };
    const event: AppEvent = { type: 'auth.changed', status };
    assert.deepEqual(freshAnswer(event), { request: 'auth.status', answer: status });
    const { queries, fetches } = await cacheWith([['auth.status', {}]], ['auth.status']);
    applyCacheRules(queries, event);
    assert.deepEqual(queries.getQueryData(['auth.status', {}]), status);
    assert.equal(fetches.get('["auth.status",{}]'), 1);
    const profile = { type: 'profile.changed' } as Extract<AppEvent, { type: 'profile.changed' }>;
    assert.equal(freshAnswer(profile)?.request, 'profile.get');
    assert.deepEqual(staleAfter(profile).requests, []);
  });

  it('progress, device codes and settings touch no cached answer', () => {
    for (const event of [{ type: 'settings.changed' }, { type: 'operation.progress' }, { type: 'auth.device' }] as AppEvent[]) {
      assert.deepEqual(staleAfter(event).requests, [], event.type);
      assert.equal(freshAnswer(event), undefined, event.type);
    }
  });
});
