/**
 * afp delete <environment>: deletes an environment (its namespace when it
 * owns it, else its objects); with --wait, until the cluster confirms it is
 * gone, and then drops it from the inventory.
 */
import type { CliCommand } from './command';
import { openOperations, printProgress, report, untilDone, waitOption, DEFAULT_WAIT } from './deploy';
import { catalogueFor } from './template-arg';

export const deleteCommand: CliCommand = {
  summary: 'Delete a deployed environment (by name or id)',
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {
    wait: { type: 'boolean', help: 'Wait until everything is gone, then drop it from the inventory' },
    timeout: { type: 'string', arg: 'DURATION', help: `How long --wait waits, e.g. 90s, 10m (default ${DEFAULT_WAIT})` },
  },
  details: 'Exit 0: deleted (gone with --wait); 1: failed or cancelled; 2: usage.',
  async run({ options, positionals, io }) {
    const waitMs = waitOption(options);
    const which = positionals[0] ?? '';
    const cli = await openOperations(
      () => catalogueFor([], io.cwd),
      (inventory) => {
        const target = inventory.get(which)?.target;
        return target?.kind === 'kube' ? { ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }), context: target.context } : undefined;
      },
    );
    const { operations } = cli;
    const stop = printProgress(operations, io, Date.now());
    try {
      const handle = await operations.delete(which, waitMs === undefined ? {} : { waitMs });
      io.stderr.write(`Deleting environment "${handle.name}" (id ${handle.environmentId}, operation ${handle.operationId})\n`);
      const result = await untilDone(operations, handle, io);
      return report(result, io, waitMs === undefined ? `Deletion of ${handle.name} requested; the cluster is removing it` : `Environment ${handle.name} is gone`);
    } finally {
      stop();
      cli.close();
    }
  },
};
