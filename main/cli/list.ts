/**
 * `afp list [--json]`: the environments in the inventory (the same file the
 * app uses), with the status each last had. `afp status` asks the cluster.
 */
import { userDataDir } from '../paths';
import { openInventory } from '../app/environments-core';
import { targetLabel } from '../targets/kinds/traits';
import type { EnvironmentRecord } from '../inventory/record';
import { EXIT_OK, type CliCommand, type CliIo } from './command';

export const listCommand: CliCommand = {
  summary: 'List your environments and the status each last had',
  positionals: { usage: '', min: 0, max: 0 },
  options: {
    json: { type: 'boolean', help: 'Print JSON: one object per environment (id, name, template, target, status, times, last operation)' },
  },
  details: 'The status is the one last seen by the app or by afp status; run afp status <environment> to ask the cluster now.',
  run: ({ options, io }) => Promise.resolve(runList(io, { json: options.json === true })),
};

export function runList(io: CliIo, options: { json: boolean; configDir?: string; now?: Date }): number {
  const inventory = openInventory(options.configDir ?? userDataDir());
  const records = inventory.list();
  if (options.json) {
    io.stdout.write(`${JSON.stringify(records.map(summary), null, 2)}\n`);
    return EXIT_OK;
  }
  if (records.length === 0) {
    io.stdout.write(`No environments yet (inventory: ${inventory.path}).\n`);
    return EXIT_OK;
  }
  const now = options.now ?? new Date();
  const rows = records.map((r) => [
    r.name,
    `${r.template.name} ${r.template.version}`,
    targetText(r),
    statusText(r, now),
    age(r.createdAt, now),
  ]);
  io.stdout.write(table(['NAME', 'TEMPLATE', 'TARGET', 'STATUS', 'AGE'], rows));
  for (const r of records) {
    const last = r.operations.at(-1);
    if (last?.outcome === 'interrupted')
      io.stdout.write(`note: ${r.name}: the last ${last.kind} was interrupted (${last.startedAt}); resume it from the app.\n`);
  }
  return EXIT_OK;
}

function summary(r: EnvironmentRecord): object {
  const last = r.operations.at(-1);
  return {
    id: r.id,
    name: r.name,
    template: r.template,
    target: r.target,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(last === undefined
      ? {}
      : {
          lastOperation: {
            kind: last.kind,
            outcome: last.outcome,
            startedAt: last.startedAt,
            message: last.message,
          },
        }),
  };
}

export function targetText(r: EnvironmentRecord): string {
  return targetLabel(r.target, 'list');
}

function statusText(r: EnvironmentRecord, now: Date): string {
  return `${r.status.phase} (${age(r.status.since, now)})`;
}

/** "45s", "12m", "5h", "3d"; "?" for a time that cannot be read. */
export function age(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
