/**
 * Live status of IM and dispatcher environments: IM's state and outputs,
 * polled no faster than IM refreshes them, as an Observation. IM not
 * answering is Unknown since when; an infrastructure IM no longer knows
 * (deleted on IM's side) is Gone.
 */
import { createHash } from 'node:crypto';
import { AfpError, toApiError } from '../../errors';
import type { TargetsSection } from '../../site/profile-schema';
import type { EnvironmentRecord } from '../../inventory/record';
import { pollingSource, type StatusSource, type StatusSourceFactory } from '../../tracking/status-source';
import { emptySections, type Observation, type WorkloadView } from '../../tracking/views';
import { followClient, NOT_FOLLOWED, resolveDispatcher } from './dispatcher-settings';
import type { ImClient, RetryPolicy } from '../im/im-client';
import { imStateSaid, imStateToPhase } from '../im/im-state';
import { say, type Message } from '../../messages/message';

/** A status's English message and the same said in the user's language. */
function statusOf(said: Message): { message: string; said: Message } {
  return { message: said.text, said };
}
import { imClientFor } from '../im/im-target';
import { linksFromOutputs } from '../im/outputs-links';
import { mendZeroPorts } from '../im/zero-ports';
import type { TokenSource } from '../im/token-source';

export interface ImStatusSourceOptions {
  tokens: TokenSource;
  /** The site profile's targets as they are now (null: no profile). */
  profile: () => TargetsSection | null | undefined;
  /** Between polls; pollingSource never goes below IM's own 10 s. */
  intervalMs?: number;
  caPem?: string;
}

// The source polls again by itself: one quick retry inside a poll is enough.
const POLL_RETRY: RetryPolicy = { attempts: 2, backoff: { initialMs: 500, maxMs: 1000 } };

export function imStatusSourceFactory(options: ImStatusSourceOptions): StatusSourceFactory {
  return (record) => {
    if (record.target.kind !== 'im' && record.target.kind !== 'dispatcher') return undefined;
    let client: ImClient | undefined;
    try {
      client = imClientForRecord(record, options);
    } catch (error) {
      return fixedSource({ phase: 'Unknown', message: toApiError(error).message });
    }
    if (client === undefined) return fixedSource({ phase: 'Unknown', message: `Status not available: ${NOT_FOLLOWED}.` });
    return imSource(client, record, options.intervalMs);
  };
}

/** The IM client that follows this record's infrastructure (its IM, or the IM behind its dispatcher); undefined when none can. */
export function imClientForRecord(record: EnvironmentRecord, options: ImStatusSourceOptions): ImClient | undefined {
  const targets = options.profile() ?? undefined;
  const extra = { retry: POLL_RETRY, ...(options.caPem === undefined ? {} : { caPem: options.caPem }) };
  const target = record.target;
  if (target.kind === 'im') {
    const im = targets?.im;
    // The profile's header settings apply to its own IM; an environment made with another IM gets IM's plain token line.
    const settings = im !== undefined && sameOrigin(im.url, target.imUrl) ? im : { url: target.imUrl, authMode: 'token' as const };
    return imClientFor({ ...settings, url: target.imUrl }, options.tokens, extra);
  }
  if (target.kind !== 'dispatcher') return undefined;
  const dispatcher = targets?.dispatcher;
  if (dispatcher === undefined) {
    if (target.imUrl === undefined) return undefined;
    return imClientFor({ url: target.imUrl, authMode: 'token' }, options.tokens, extra);
  }
  return followClient(resolveDispatcher(dispatcher, targets?.im), targets?.im, options.tokens, extra);
}

function imSource(client: ImClient, first: EnvironmentRecord, intervalMs: number | undefined): StatusSource {
  let record = first;
  // Links mended from IM's port 0 (zero-ports.ts), kept across polls.
  const mendedPorts = new Map<string, string>();
  const source = pollingSource({
    ...(intervalMs === undefined ? {} : { intervalMs }),
    poll: (signal) => pollOnce(client, record, signal, mendedPorts),
    unreachable: (error, since) => ({
      ...emptySections(),
      phase: 'Unknown',
      message: `${toApiError(error).message} (no answer since ${new Date(since).toISOString()})`,
      since,
    }),
  });
  return {
    start: (changed) => source.start(changed),
    observe: (latest) => {
      record = latest;
      return source.observe(latest);
    },
    dispose: () => source.dispose(),
  };
}

async function pollOnce(
  client: ImClient,
  record: EnvironmentRecord,
  signal: AbortSignal,
  mendedPorts: Map<string, string>,
): Promise<Omit<Observation, 'checkedAt'>> {
  const target = record.target;
  const id = target.kind === 'kube' ? undefined : target.infrastructureId;
  if (id === undefined) return { ...emptySections(), phase: record.status.phase, ...statusOf(say('imDeploy.notNamedYet')) };
  let state: { state: string; vmStates: Record<string, string> };
  try {
    state = await client.state(id, { signal });
  } catch (error) {
    if (error instanceof AfpError && error.code === 'not_found') {
      return { ...emptySections(), phase: 'Gone', ...statusOf(say('imDeploy.goneOutside', { id })) };
    }
    throw error;
  }
  const phase = imStateToPhase(state.state);
  const outputs =
    phase.phase === 'Ready' || phase.phase === 'Degraded' || phase.phase === 'Deploying'
      ? await client.outputs(id, { signal }).then(
          // A container IM cannot show leaves its link as IM gave it.
          (answer) => mendZeroPorts(client, id, Object.keys(state.vmStates), record.links, answer, mendedPorts, signal).catch(() => answer),
          () => ({}),
        )
      : {};
  const total = Object.keys(state.vmStates).length;
  const configured = Object.values(state.vmStates).filter((vm) => vm === 'configured').length;
  const workload: WorkloadView = {
    id: `infrastructure/${id}`,
    version: digest([state.state, state.vmStates]),
    kind: 'Infrastructure',
    name: id,
    desired: total,
    ready: configured,
  };
  return {
    ...emptySections(),
    phase: phase.phase,
    ...statusOf(say('imDeploy.stateLine', { state: imStateSaid(state.state, state.vmStates), meaning: phase.said })),
    workloads: [workload],
    links: linksFromOutputs(record.links, outputs, phase.phase === 'Ready'),
  };
}

function fixedSource(observation: Pick<Observation, 'phase' | 'message'>): StatusSource {
  const since = Date.now();
  return {
    start: (changed) => changed(),
    observe: () => ({ ...emptySections(), ...observation, since }),
    dispose: () => undefined,
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
