/**
 * afp delete <environment>: deletes an environment (its namespace when it
 * owns it, else its objects; IM's infrastructure for IM and dispatcher
 * environments); with --wait, until the target confirms it is gone, and then
 * drops it from the inventory.
 */
import type { CliCommand } from './command';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { openOperations, printProgress, report, untilDone, waitOption, TIMEOUT_OPTION } from './operations-cli';
import { profileCatalogue } from './template-input';
import { deletionLosses, lossText } from '../app/deletion-losses';

export const deleteCommand: CliCommand = {
  summary: 'Delete a deployed environment (by name or id)',
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {
    wait: { type: 'boolean', help: 'Wait until everything is gone, then drop it from the inventory' },
    timeout: TIMEOUT_OPTION,
    profile: PROFILE_OPTION,
  },
  details:
    'IM and dispatcher environments are deleted as the signed-in user (afp login). Exit 0: deleted (gone with --wait); 1: failed or cancelled; 2: usage.',
  async run({ options, positionals, io }) {
    const waitMs = waitOption(options);
    const which = positionals[0] ?? '';
    const profile = await cliProfile(options, io.cwd);
    const cli = await openOperations(
      () => profileCatalogue(profile, [], io.cwd),
      (inventory) => inventory.get(which)?.target,
      profile,
    );
    const { operations } = cli;
    const record = cli.inventory.get(which);
    // Said before anything goes, as the app does before the name is typed.
    if (record !== undefined) io.stderr.write(`This deletes for good: ${deletionLosses(record).map(lossText).join('; ')}.\n`);
    const stop = printProgress(operations, io, Date.now());
    try {
      const handle = await operations.delete(which, waitMs === undefined ? {} : { waitMs });
      io.stderr.write(`Deleting environment "${handle.name}" (id ${handle.environmentId}, operation ${handle.operationId})\n`);
      const result = await untilDone(operations, handle, io);
      return report(
        result,
        io,
        waitMs === undefined ? `Deletion of ${handle.name} requested; the target is removing it` : `Environment ${handle.name} is gone`,
      );
    } finally {
      stop();
      cli.close();
    }
  },
};
