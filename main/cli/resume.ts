/**
 * afp resume <environment>: runs again the operation that was interrupted
 * (the app or afp killed mid-deploy), failed or was cancelled — the same
 * deploy, update or delete, from what the inventory recorded.
 */
import { AfpError } from '../errors';
import { userDataDir } from '../paths';
import { openInventory } from '../app/environments-core';
import { stringsOption, type CliCommand } from './command';
import { openOperations, printProgress, report, untilDone, waitOption, TIMEOUT_OPTION } from './operations-cli';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { profileCatalogue, TEMPLATES_OPTION } from './template-input';

export const resumeCommand: CliCommand = {
  summary: 'Run again the interrupted, failed or cancelled operation of an environment',
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {
    templates: TEMPLATES_OPTION,
    profile: PROFILE_OPTION,
    wait: { type: 'boolean', help: 'Wait until every pod is ready (a delete: until everything is gone)' },
    timeout: TIMEOUT_OPTION,
  },
  details:
    'afp list shows which environments have an unfinished operation. Exit 0: the operation succeeded; 1: it failed again, or there is nothing to resume; 2: usage.',
  async run({ options, positionals, io }) {
    const waitMs = waitOption(options);
    const which = positionals[0] ?? '';
    const record = openInventory(userDataDir()).get(which);
    if (record === undefined) throw new AfpError('not_found', `No environment "${which}" in the inventory.`, { field: 'environment' });
    const profile = await cliProfile(options, io.cwd);
    const cli = await openOperations(
      () => profileCatalogue(profile, stringsOption(options, 'templates'), io.cwd),
      () => record.target,
      profile,
    );
    const { operations } = cli;
    const stop = printProgress(operations, io, Date.now());
    try {
      const handle = await operations.resume(record.id, waitMs === undefined ? {} : { waitForReadyMs: waitMs, waitMs });
      io.stderr.write(`Resuming the ${handle.kind} of environment "${handle.name}" (operation ${handle.operationId})\n`);
      const result = await untilDone(operations, handle, io);
      const done =
        handle.kind === 'delete'
          ? waitMs === undefined
            ? 'deletion requested'
            : 'is gone'
          : waitMs === undefined
            ? `${handle.kind}: every object applied`
            : 'is ready';
      return report(result, io, `Environment ${handle.name} ${done}`);
    } finally {
      stop();
      cli.close();
    }
  },
};
