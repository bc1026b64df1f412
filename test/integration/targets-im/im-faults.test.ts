/**
 * IM down, failing or answering strangely, through the bed's fault proxy in
 * front of the real IM: a create refused with 503 is sent again; IM
 * unreachable while a deploy waits is a pause, not a failure; the status
 * source says Unknown since when IM went silent and recovers; a state IM
 * never had is Unknown with the state named; an infrastructure deleted on
 * IM's side is Gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatError } from '../../../main/errors';
import { imStatusSourceFactory } from '../../../main/targets/dispatcher';
import { imTarget, type ImSettings, type ImTarget } from '../../../main/targets/im';
import type { ProgressEvent } from '../../../main/targets/kinds/target';
import type { StatusSource } from '../../../main/tracking/status-source';
import type { Observation } from '../../../main/tracking/views';
import { waitUntil } from '../../support/testbed';
import { bed, imFaults, minioPlan, recordFor, ScriptedTokens, uniqueName, type Bed } from './support';

let b: Bed;
let settings: ImSettings;
let faults: ReturnType<typeof imFaults>;
const signal = new AbortController().signal;
const created: string[] = [];
let t: ImTarget;

before(async () => {
  b = await bed();
  faults = imFaults(b);
  await faults.clear();
  settings = { url: b.imProxyUrl, authMode: 'token', kubernetesLine: { host: b.env.apiServerUrl, tokenFrom: 'user' } };
  t = imTarget({
    im: settings,
    tokens: new ScriptedTokens([b.alice]),
    pollMs: 1000,
    retry: { attempts: 3, backoff: { initialMs: 200, maxMs: 400 } },
  });
});

after(async () => {
  await faults?.clear();
  for (const id of created)
    await t.remove({ environmentId: id, namespace: '', infrastructureId: id }, { signal, onProgress: () => undefined, waitMs: 60_000 });
});

async function deploy(
  prefix: string,
  onProgress: (event: ProgressEvent) => void = () => undefined,
): Promise<{ id: string; plan: ReturnType<typeof minioPlan>; events: ProgressEvent[] }> {
  const plan = minioPlan(uniqueName(prefix));
  const events: ProgressEvent[] = [];
  const result = await t.apply(plan, {
    signal,
    onProgress: (event) => {
      events.push(event);
      if (event.type === 'infrastructure') created.push(event.id);
      onProgress(event);
    },
    waitForReadyMs: 90_000,
  });
  const infrastructure = events.find((event) => event.type === 'infrastructure');
  assert.ok(infrastructure?.type === 'infrastructure', events.map((event) => event.text).join('\n'));
  assert.equal(result.outcome, 'succeeded', result.error === undefined ? '' : formatError(result.error));
  return { id: infrastructure.id, plan, events };
}

describe('IM faults', () => {
  it(
    'a create answered 503 is sent again; IM unreachable while waiting is a pause, and the deploy ends configured',
    { timeout: 120_000 },
    async () => {
      await faults.add({ status: 503, method: 'POST', path: '^/infrastructures', times: 1 });
      let down: Promise<void> | undefined;
      let sawPause: () => void = () => undefined;
      const paused = new Promise<void>((resolve) => (sawPause = resolve));
      const { events } = await deploy('tfault-down', (event) => {
        if (event.type === 'infrastructure') down = faults.set({ refuseConnections: true });
        if (event.type === 'phase' && /Asking again\.$/.test(event.text)) {
          sawPause();
          // IM comes back a moment later.
          void paused.then(() => faults.set({ refuseConnections: false }));
        }
      });
      await down;
      const texts = events.map((event) => event.text);
      assert.ok(
        texts.some((text) => /refused to create the infrastructure \(HTTP 503\).*Trying again in [\d.]+ s \(attempt 2\)\./.test(text)),
        texts.join('\n'),
      );
      assert.ok(
        texts.some((text) =>
          /could not read the state of infrastructure .*: the connection was (reset|refused).*Asking again\.$/.test(text),
        ),
        texts.join('\n'),
      );
      assert.match(texts.at(-1) ?? '', /^Ready: 1\/1 containers configured\.$/);
    },
  );

  it(
    "status: Unknown since IM went silent, then Ready again; a state IM never had is Unknown naming it; deleted on IM's side is Gone",
    { timeout: 120_000 },
    async () => {
      const [silent, odd] = await Promise.all([deploy('tfault-silent'), deploy('tfault-odd')]);
      const factory = imStatusSourceFactory({ tokens: new ScriptedTokens([b.alice]), profile: () => ({ im: settings }) });
      const watch = (
        plan: typeof silent.plan,
        id: string,
      ): { source: StatusSource; seen: Observation[]; record: ReturnType<typeof recordFor> } => {
        const record = recordFor(plan, { kind: 'im', imUrl: b.imProxyUrl, infrastructureId: id });
        const source = factory(record);
        assert.ok(source !== undefined);
        const seen: Observation[] = [];
        source.start(() => {
          const observed = source.observe(record);
          if (observed !== undefined) seen.push(observed);
        });
        return { source, seen, record };
      };
      // The first state read of `odd` gets a state IM 2.0 does not have.
      await faults.add({
        status: 200,
        method: 'GET',
        path: `^/infrastructures/${odd.id}/state`,
        times: 1,
        body: { state: { state: 'hibernating', vm_states: { 0: 'hibernating' } } },
      });
      const a = watch(silent.plan, silent.id);
      const c = watch(odd.plan, odd.id);
      try {
        await waitUntil('first observations', () => Promise.resolve(a.seen.length > 0 && c.seen.length > 0), 15_000, 100);
        assert.equal(a.seen[0]?.phase, 'Ready', a.seen[0]?.message);
        assert.equal(c.seen[0]?.phase, 'Unknown');
        assert.equal(c.seen[0]?.message, 'IM: hibernating (1 container): IM answered a state the app does not know: "hibernating"');

        // IM goes silent for `silent`; `odd` is deleted behind the app's back.
        const wentDown = Date.now();
        await faults.add({ status: 503, path: `^/infrastructures/${silent.id}/` });
        await t.client.remove(odd.id);
        await waitUntil('Unknown for the silent one', () => Promise.resolve(a.seen.some((o) => o.phase === 'Unknown')), 30_000, 200);
        const unknown = a.seen.find((o) => o.phase === 'Unknown');
        assert.ok(unknown?.since !== undefined && unknown.since >= wentDown, 'since when IM is silent');
        assert.match(
          unknown?.message ?? '',
          new RegExp(`refused to read the state of infrastructure ${silent.id} \\(HTTP 503\\).* \\(no answer since \\d{4}-\\d\\d-\\d\\dT`),
        );
        await waitUntil('Gone for the deleted one', () => Promise.resolve(c.seen.some((o) => o.phase === 'Gone')), 30_000, 200);
        assert.equal(
          c.seen.find((o) => o.phase === 'Gone')?.message,
          `IM no longer knows infrastructure ${odd.id}: it was deleted outside the app.`,
        );

        await faults.clear();
        const before = a.seen.length;
        await waitUntil('Ready again', () => Promise.resolve(a.seen.slice(before).some((o) => o.phase === 'Ready')), 45_000, 200);
      } finally {
        a.source.dispose();
        c.source.dispose();
      }
    },
  );
});
