/**
 * afp forget <environment>: removes an environment from the inventory without
 * touching any cluster or IM — for a deploy that failed before anything was
 * created, or a cluster that is gone for good. `afp delete` is what removes
 * an environment from its cluster; this only makes the app stop knowing it.
 */
import type { CliCommand } from './command';
import { EXIT_OK } from './command';
import { openOperations } from './operations-cli';

export const forgetCommand: CliCommand = {
  summary: 'Remove an environment from the inventory only, without touching its cluster (afp delete removes it from the cluster)',
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {},
  details:
    'For a deploy that failed before anything was created, or an environment whose cluster is gone for good. Nothing is asked of the cluster or IM: whatever the environment created there stays. Exit 0: forgotten; 1: not found or busy.',
  async run({ positionals, io }) {
    const which = positionals[0] ?? '';
    // No target is reached: the operations are opened without a session and connect to nothing for this.
    const cli = await openOperations(
      () => Promise.reject(new Error('forget reads no template')),
      () => undefined,
    );
    try {
      const forgotten = cli.operations.forget(which);
      io.stdout.write(`Forgot ${forgotten.name}: removed from the inventory; nothing was asked of its cluster.\n`);
      if (forgotten.applied > 0)
        io.stdout.write(
          `Its last record said ${forgotten.applied} object${forgotten.applied === 1 ? ' was' : 's were'} applied in namespace ${forgotten.namespace}: if that cluster still exists, they are still there (kubectl delete namespace ${forgotten.namespace} removes them).\n`,
        );
      return EXIT_OK;
    } finally {
      cli.close();
    }
  },
};
