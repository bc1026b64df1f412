/**
 * afp logs <environment> [component]: a Kubernetes environment's container
 * logs (a component's pods, or one pod; --container, --follow, --previous,
 * --tail), read as the kubeconfig's user and written straight to stdout
 * (nothing is held but one unfinished line); several pods are prefixed with
 * [pod/container]. Ctrl-C ends --follow and exits 0. An IM or dispatcher
 * environment prints IM's log (contmsg) instead, as the signed-in user.
 */
import { needsSession, openInventory, statusReaders } from '../app/environments-core';
import { chooseLogs, kubeTarget, readLogSources } from '../app/log-sources';
import { LOG_BOUNDS } from '../contract/logs';
import { AfpError } from '../errors';
import type { EnvironmentRecord } from '../inventory/record';
import { readPodLog } from '../kube/pod-logs';
import { userDataDir } from '../paths';
import type { ActiveProfile } from '../site/active-profile';
import { traitsOf } from '../targets/kinds/traits';
import { EXIT_OK, stringOption, UsageError, type CliCommand, type CliIo, type OptionValues } from './command';
import { cliSession, openOperations } from './operations-cli';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { profileCatalogue } from './template-input';

export const logsCommand: CliCommand = {
  summary: "Show an environment's container logs (Kubernetes), or IM's log (IM, dispatcher)",
  positionals: { usage: '<environment> [component|pod]', min: 1, max: 2 },
  options: {
    container: { type: 'string', short: 'c', arg: 'NAME', help: "Which container of the pod (default: the pod's default, else its first)" },
    follow: { type: 'boolean', short: 'f', help: 'Keep printing new lines until Ctrl-C' },
    previous: { type: 'boolean', short: 'p', help: 'The log of the previous instance of the container (after a crash or restart)' },
    tail: { type: 'string', arg: 'N', help: 'Only the last N lines of each container' },
    profile: PROFILE_OPTION,
  },
  details:
    'Without a component, the environment must have exactly one pod. A component with several pods (Dask workers) prints each line as [pod/container] line. IM and dispatcher environments have no container logs the app can read: their IM log is printed instead.',
  async run({ options, positionals, io }) {
    const [which = '', component] = positionals;
    const profile = await cliProfile(options, io.cwd);
    const inventory = openInventory(userDataDir());
    const record = inventory.get(which);
    if (record === undefined)
      throw new AfpError('not_found', `No environment named "${which}" in the inventory (${inventory.path}); afp list shows them.`);
    if (traitsOf(record.target.kind).status === 'cluster') return containerLogs(record, component, options, profile, io);
    if (component !== undefined || options.follow === true || options.previous === true)
      throw new UsageError('IM and dispatcher environments have one log, IM’s: give only the environment.');
    return imLog(which, profile, io);
  },
};

async function containerLogs(
  record: EnvironmentRecord,
  component: string | undefined,
  options: OptionValues,
  profile: ActiveProfile | null,
  io: CliIo,
): Promise<number> {
  const tail = stringOption(options, 'tail');
  const tailLines = tail === undefined ? undefined : Number(tail);
  if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines >= 0 && tailLines <= 10 * LOG_BOUNDS.tailLines))
    throw new UsageError(`--tail must be a whole number of lines (0–${10 * LOG_BOUNDS.tailLines}), not "${tail}"`);
  const session = needsSession(record.target, profile, 'observe') ? await cliSession(profile) : undefined;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  try {
    const { kubeConfigFor } = statusReaders({ profile: () => profile, session });
    const chosen = chooseLogs(await readLogSources(record, kubeConfigFor), component, stringOption(options, 'container'));
    const target = kubeTarget(record);
    const kc = kubeConfigFor(target);
    await Promise.all(
      chosen.map(({ pod, container }) => {
        const prefix = chosen.length > 1 ? `[${pod}/${container}] ` : '';
        return readPodLog(
          kc,
          {
            namespace: target.namespace,
            pod,
            container,
            follow: options.follow === true,
            previous: options.previous === true,
            ...(tailLines === undefined ? {} : { tailLines }),
          },
          (line) => io.stdout.write(`${prefix}${line}\n`),
          stop.signal,
        );
      }),
    );
    return EXIT_OK;
  } finally {
    process.removeListener('SIGINT', onSignal);
    session?.dispose();
  }
}

async function imLog(which: string, profile: ActiveProfile | null, io: CliIo): Promise<number> {
  const cli = await openOperations(
    () => profileCatalogue(profile, [], io.cwd),
    (inventory) => {
      const target = inventory.get(which)?.target;
      if (target === undefined)
        throw new AfpError('not_found', `No environment named "${which}" in the inventory (${inventory.path}); afp list shows them.`);
      return target;
    },
    profile,
  );
  try {
    const { text, infrastructureId } = await cli.operations.logs(which);
    io.stderr.write(`IM's log of infrastructure ${infrastructureId}:\n`);
    io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    if (text.trim() === '') io.stderr.write('(IM has written nothing yet)\n');
    return EXIT_OK;
  } finally {
    cli.close();
  }
}
