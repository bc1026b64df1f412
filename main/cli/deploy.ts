/**
 * afp deploy <template>: renders the template with the values given and
 * deploys it to the kubeconfig's cluster, one progress line per step on
 * stderr; with --wait, until every pod is ready. Ctrl-C cancels between
 * requests and leaves the inventory saying what was applied.
 */
import path from 'node:path';
import { catalogueOf, type Catalogue } from '../catalogue/catalogue';
import { openCliSession, type CliSession } from '../auth/cli-session';
import { EnvironmentOperations, kubeConnector, type OperationHandle, type OperationResult } from '../environments/operations';
import { formatError } from '../errors';
import { userDataDir } from '../paths';
import { loadKubeconfig } from '../targets/kube/kubeconfig';
import { Inventory } from '../tracking/inventory';
import { EXIT_FAILURE, EXIT_OK, stringOption, stringsOption, UsageError, type CliCommand, type CliIo, type OptionValues } from './command';
import { catalogueFor, resolveTemplate } from './template-arg';
import { readValues } from './values-input';

export const DEFAULT_WAIT = '10m';

export const deployCommand: CliCommand = {
  summary: 'Deploy a template to a Kubernetes cluster (server-side apply, then follow the pods)',
  positionals: { usage: '<template>', min: 1, max: 1 },
  options: {
    values: { type: 'string', arg: 'FILE', help: 'YAML file of parameter: value' },
    set: { type: 'string', multiple: true, arg: 'NAME=VALUE', help: 'Set one parameter (repeatable; wins over --values)' },
    templates: { type: 'string', multiple: true, arg: 'DIR', help: 'Also load templates from this folder (repeatable)' },
    kubeconfig: { type: 'string', arg: 'FILE', help: 'Kubeconfig file (default: KUBECONFIG, else ~/.kube/config)' },
    context: { type: 'string', arg: 'NAME', help: "Kubeconfig context (default: the file's current context)" },
    name: { type: 'string', arg: 'ENV', help: 'Environment name, also its namespace (default: the template name)' },
    wait: { type: 'boolean', help: 'Wait until every pod is ready' },
    timeout: { type: 'string', arg: 'DURATION', help: `How long --wait waits, e.g. 90s, 10m (default ${DEFAULT_WAIT})` },
    'force-conflicts': { type: 'boolean', help: 'Take over fields another field manager changed (they are reported first)' },
  },
  details: 'The environment is recorded in the inventory before the cluster is touched; `afp delete <name>` removes it. Exit 0: deployed (and ready with --wait); 1: failed or cancelled; 2: usage.',
  async run({ options, positionals, io }) {
    const waitMs = waitOption(options);
    const arg = positionals[0] ?? '';
    const template = await resolveTemplate(arg, stringsOption(options, 'templates'), io.cwd);
    const input = await readValues(template, stringOption(options, 'values'), stringsOption(options, 'set'), io.cwd);
    const isFile = /\.ya?ml$/i.test(arg) || arg.includes('/');
    const catalogue = (): Promise<Catalogue> => (isFile ? Promise.resolve(catalogueOf([template])) : catalogueFor(stringsOption(options, 'templates'), io.cwd));
    const given = stringOption(options, 'kubeconfig');
    const kubeconfig = given === undefined ? undefined : path.resolve(io.cwd, given);
    const context = stringOption(options, 'context');
    const name = stringOption(options, 'name');
    const cli = await openOperations(catalogue, () => ({ ...(kubeconfig === undefined ? {} : { kubeconfig }), ...(context === undefined ? {} : { context }) }));
    const { operations } = cli;
    const started = Date.now();
    const stop = printProgress(operations, io, started);
    try {
      const handle = await operations.deploy({
        template: template.name,
        values: input.values,
        valuesOrigin: input.origin,
        ...(name === undefined ? {} : { name }),
        ...(kubeconfig === undefined ? {} : { kubeconfig }),
        ...(context === undefined ? {} : { context }),
        ...(waitMs === undefined ? {} : { waitForReadyMs: waitMs }),
        ...(options['force-conflicts'] === true ? { forceConflicts: true } : {}),
      });
      io.stderr.write(`Deploying ${template.name} as environment "${handle.name}" (id ${handle.environmentId}, operation ${handle.operationId})\n`);
      const result = await untilDone(operations, handle, io);
      return report(result, io, `Environment ${handle.name} ${waitMs === undefined ? 'deployed: every object applied' : 'is ready'}`);
    } finally {
      stop();
      cli.close();
    }
  },
};

export interface CliOperations {
  operations: EnvironmentOperations;
  inventory: Inventory;
  /** Releases the signed-in session, when one was opened. */
  close(): void;
}

/**
 * Operations on the inventory in the user-data folder. A context whose user is
 * our own session (`afp kube-token`) is served the signed-in session's token.
 */
export async function openOperations(catalogue: () => Promise<Catalogue>, choice: (inventory: Inventory) => { kubeconfig?: string; context?: string } | undefined): Promise<CliOperations> {
  const inventory = Inventory.open(userDataDir());
  const chosen = choice(inventory);
  let session: CliSession['session'] | undefined;
  if (chosen !== undefined) {
    const loaded = loadKubeconfig(chosen.kubeconfig === undefined ? {} : { file: chosen.kubeconfig });
    const context = chosen.context ?? loaded.currentContext;
    if (loaded.contexts.find((c) => c.name === context)?.auth === 'afp-session') session = (await openCliSession()).session;
  }
  const operations = new EnvironmentOperations({ store: inventory, catalogue, connect: kubeConnector(session) });
  return { operations, inventory, close: () => session?.dispose() };
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
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) throw new UsageError(`not a duration: ${JSON.stringify(text)} (try 90s, 10m or 1h)`);
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
