/**
 * `afp status <environment> [--json] [--timeout SECONDS]`: asks the target
 * now (the same watches and status rules as the app) and prints the status
 * with the reason, links, workloads, pods and recent warnings. Exit 0: Ready;
 * 3: any other status; 1: an error.
 */
import { needsSession, openInventory, statusReaders } from '../app/environments-core';
import { observeOnce } from '../app/status-once';
import { AfpError } from '../errors';
import { traitsOf } from '../targets/kinds/traits';
import { userDataDir } from '../paths';
import type { ActiveProfile } from '../site/active-profile';
import type { KubeConfigFor } from '../tracking/cluster-registry';
import type { EnvironmentRecord, EnvironmentStatus } from '../inventory/record';
import { emptySections, type Observation } from '../tracking/views';
import { EXIT_OK, stringOption, UsageError, type CliCommand, type CliIo } from './command';
import { cliSession } from './operations-cli';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { age, table, targetText } from './list';

export const EXIT_NOT_READY = 3;

export const statusCommand: CliCommand = {
  summary: 'Show the live status of an environment: why it is not Ready, its links, pods and recent warnings',
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {
    json: { type: 'boolean', help: 'Print JSON: environment, live, status, links, workloads, pods, services, ingresses, events' },
    timeout: { type: 'string', arg: 'SECONDS', help: 'How long to wait for the cluster or IM (default 10)' },
    profile: PROFILE_OPTION,
  },
  details: 'Exit status: 0 when the environment is Ready, 3 when it is in any other state, 1 on an error.',
  run({ options, positionals, io }) {
    const timeout = stringOption(options, 'timeout');
    const seconds = timeout === undefined ? 10 : Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout must be a number of seconds, not "${timeout}"`);
    return cliProfile(options, io.cwd).then((profile) =>
      runStatus(io, positionals[0] ?? '', { json: options.json === true, timeoutMs: seconds * 1000, profile }),
    );
  },
};

export interface StatusOptions {
  json: boolean;
  timeoutMs?: number;
  configDir?: string;
  kubeConfigFor?: KubeConfigFor;
  /** The site profile: how to reach IM for IM and dispatcher environments. */
  profile?: ActiveProfile | null;
}

export async function runStatus(io: CliIo, name: string, options: StatusOptions): Promise<number> {
  const inventory = openInventory(options.configDir ?? userDataDir());
  const record = inventory.get(name);
  if (record === undefined)
    throw new AfpError('not_found', `No environment named "${name}" in the inventory (${inventory.path}); afp list shows them.`);
  const observed = await observe(record, options);
  const status: EnvironmentStatus =
    observed === undefined
      ? record.status
      : {
          phase: observed.phase,
          since: observed.phase === record.status.phase ? record.status.since : new Date(observed.since ?? Date.now()).toISOString(),
          message: observed.message,
        };
  const sections = observed ?? { ...emptySections(), links: [] };
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ environment: { id: record.id, name: record.name, template: record.template, target: record.target }, live: observed !== undefined, status, ...pick(sections) }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(text(record, status, observed));
  }
  return status.phase === 'Ready' ? EXIT_OK : EXIT_NOT_READY;
}

/** The target's answer, or undefined when it did not answer in time (or IM cannot be asked: signed out). */
async function observe(record: EnvironmentRecord, options: StatusOptions): Promise<Observation | undefined> {
  const profile = options.profile ?? null;
  const session = needsSession(record.target, profile, 'observe') ? await cliSession(profile) : undefined;
  try {
    const readers = statusReaders({ profile: () => profile, signedOut: 'skip', session });
    return await observeOnce(
      record,
      options.kubeConfigFor === undefined ? readers : { ...readers, kubeConfigFor: options.kubeConfigFor },
      options.timeoutMs,
    );
  } finally {
    session?.dispose();
  }
}

function pick(o: Observation | ReturnType<typeof emptySections>): object {
  return {
    links: o.links,
    drift: o.drift,
    workloads: o.workloads,
    pods: o.pods,
    services: o.services,
    ingresses: o.ingresses,
    events: o.events,
  };
}

function text(record: EnvironmentRecord, status: EnvironmentStatus, observed: Observation | undefined): string {
  const now = new Date();
  const out: string[] = [];
  out.push(`${record.name}: ${record.template.name} ${record.template.version} on ${targetText(record)}`);
  out.push(`status: ${status.phase} for ${age(status.since, now)}${status.message === undefined ? '' : ` — ${status.message}`}`);
  if (observed === undefined) {
    out.push(
      traitsOf(record.target.kind).status === 'cluster'
        ? '(the cluster did not answer in time: this is the status last stored)'
        : '(IM did not answer, or you are not signed in (afp login): this is the status last stored)',
    );
  }
  const last = record.operations.at(-1);
  if (last !== undefined)
    out.push(`last operation: ${last.kind} ${last.outcome} (${last.startedAt})${last.message === undefined ? '' : ` — ${last.message}`}`);
  if (observed === undefined) return `${out.join('\n')}\n`;
  if (observed.links.length > 0) {
    out.push('', 'links:');
    const width = Math.max(...observed.links.map((l) => l.title.length));
    // A cluster-only link has no address until something forwards it: say the command that does.
    for (const l of observed.links)
      out.push(
        `  ${l.title.padEnd(width)}  ${l.url ?? `(cluster-only: afp open ${record.name} ${l.id} forwards it)`}${l.ready ? '' : '  (not ready)'}`,
      );
  }
  if (observed.drift.length > 0) {
    out.push('', 'changed outside the app (afp update <environment> with no values restores the recorded plan):');
    const rows = observed.drift.map((d) => [`${d.kind} ${d.name}`, d.field, d.expected, d.found, d.manager ?? '-']);
    out.push(
      ...table(['OBJECT', 'FIELD', 'EXPECTED', 'FOUND', 'CHANGED BY'], rows)
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  if (observed.workloads.length > 0) {
    out.push('', 'workloads:');
    for (const w of observed.workloads) out.push(`  ${w.kind} ${w.name}: ${w.ready}/${w.desired} ready`);
  }
  if (observed.pods.length > 0) {
    out.push('', 'pods:');
    const rows = observed.pods.map((p) => [p.name, p.phase, p.ready ? 'yes' : 'no', String(p.restarts), p.node ?? '-', p.reason ?? '']);
    out.push(
      ...table(['NAME', 'PHASE', 'READY', 'RESTARTS', 'NODE', 'REASON'], rows)
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  const warnings = observed.events.filter((e) => e.type === 'Warning').slice(0, 5);
  if (warnings.length > 0) {
    out.push('', 'recent warnings:');
    for (const e of warnings) out.push(`  ${e.object}: ${e.reason}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
