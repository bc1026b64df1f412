/** afp logs <environment>: IM's log (contmsg) of an IM or dispatcher environment's infrastructure, as the signed-in user. */
import { AfpError } from '../errors';
import { EXIT_OK, type CliCommand } from './command';
import { openOperations } from './operations-cli';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { profileCatalogue } from './template-input';

export const logsCommand: CliCommand = {
  summary: "Show IM's log of an environment deployed through IM or the dispatcher",
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: { profile: PROFILE_OPTION },
  details: 'Kubernetes environments have no IM log: afp status <environment> shows their pods and recent warnings.',
  async run({ options, positionals, io }) {
    const which = positionals[0] ?? '';
    const profile = await cliProfile(options, io.cwd);
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
  },
};
