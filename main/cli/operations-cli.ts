/**
 * What afp deploy, delete and logs share: the operations over the user's
 * inventory, connected to targets as the site profile names them (with the
 * signed-in session where a target needs it), progress lines on stderr,
 * Ctrl-C, and the outcome in words.
 */
import { authSettingsFromProfile } from '../auth/settings';
import { openCliSession, type CliSession } from '../auth/cli-session';
import type { Catalogue } from '../catalogue/catalogue';
import type { EnvironmentOperations, OperationHandle, OperationResult, TargetChoice } from '../environments/operations';
import { formatError } from '../errors';
import type { ActiveProfile } from '../site/active-profile';
import type { Inventory } from '../inventory/inventory';
import type { TargetRef } from '../inventory/record';
import { environmentOperations, needsSession, openInventory } from '../app/environments-core';
import { EXIT_FAILURE, EXIT_OK, stringOption, UsageError, type CliIo, type CliOption, type OptionValues } from './command';

export const DEFAULT_WAIT = '10m';

/** `--timeout` of the commands that `--wait` for an operation; read with `waitOption`. */
export const TIMEOUT_OPTION: CliOption = {
  type: 'string',
  arg: 'DURATION',
  help: `How long --wait waits, e.g. 90s, 10m (default ${DEFAULT_WAIT})`,
};

/** `--force-conflicts` of the commands that apply objects. */
export const FORCE_CONFLICTS_OPTION: CliOption = {
  type: 'boolean',
  help: 'Take over fields another field manager changed (they are reported first)',
};

export interface CliOperations {
  operations: EnvironmentOperations;
  inventory: Inventory;
  /** Releases the signed-in session, when one was opened. */
  close(): void;
}

/**
 * The core's operations on the inventory in the user-data folder, with the
 * signed-in session from the CLI's vault when the core says one is needed.
 */
export async function openOperations(
  catalogue: () => Promise<Catalogue>,
  where: (inventory: Inventory) => TargetChoice | TargetRef | undefined,
  profile: ActiveProfile | null = null,
): Promise<CliOperations> {
  const inventory = openInventory();
  const chosen = where(inventory);
  const session = chosen !== undefined && needsSession(chosen, profile, 'operate') ? await cliSession(profile) : undefined;
  const operations = environmentOperations({
    inventory,
    catalogue,
    profile: () => profile,
    session,
  });
  return { operations, inventory, close: () => session?.dispose() };
}

/** The session in the CLI's vault, used only if it is from the provider the profile names. */
export async function cliSession(profile: ActiveProfile | null): Promise<CliSession['session']> {
  const expected = profile === null ? undefined : authSettingsFromProfile(profile.profile);
  return (await openCliSession(process.env, expected)).session;
}

/** --wait's limit in ms, or undefined without --wait. */
export function waitOption(options: OptionValues): number | undefined {
  const timeout = stringOption(options, 'timeout');
  if (options.wait !== true) {
    if (timeout !== undefined) throw new UsageError('--timeout goes with --wait');
    return undefined;
  }
  return parseDuration(timeout ?? DEFAULT_WAIT);
}

/** "90s", "10m", "1h30m", "500ms" or a number of seconds → ms. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed)
    throw new UsageError(`not a duration: ${JSON.stringify(text)} (try 90s, 10m or 1h)`);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] ?? 's'] ?? 1000), 0);
}

/** One line per progress event on stderr, with the seconds since start. Returns the unsubscribe function. */
export function printProgress(operations: EnvironmentOperations, io: CliIo, started: number): () => void {
  return operations.onEvent((event) => {
    if (event.type !== 'progress') return;
    io.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${event.progress.text}\n`);
  });
}

/** Waits for the operation; the first Ctrl-C cancels it (between requests), a second one leaves at once. */
export async function untilDone(operations: EnvironmentOperations, handle: OperationHandle, io: CliIo): Promise<OperationResult> {
  const onSignal = (): void => {
    io.stderr.write('Cancelling: waiting for the requests in flight, then recording what was applied (Ctrl-C again to leave at once)…\n');
    operations.cancel(handle.operationId);
    process.removeListener('SIGINT', onSignal);
  };
  process.on('SIGINT', onSignal);
  try {
    return await handle.done;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

export function report(result: OperationResult, io: CliIo, success: string): number {
  if (result.outcome === 'succeeded') {
    io.stdout.write(`${success}${result.readiness === undefined ? '' : ` (${result.readiness.text})`}.\n`);
    for (const link of result.record?.links ?? []) {
      if (link.url !== undefined) io.stdout.write(`  ${link.title}: ${link.url}\n`);
    }
    return EXIT_OK;
  }
  const error = result.error ?? { code: 'internal' as const, message: `The operation ${result.outcome}.` };
  io.stderr.write(`${result.outcome === 'cancelled' ? 'cancelled' : 'error'}: ${formatError(error)}\n`);
  return EXIT_FAILURE;
}
