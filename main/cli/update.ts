/**
 * afp update <environment>: changes values of a deployed environment — the
 * app's Resize — merged over the values it was deployed with, re-rendered
 * from its template under the site profile, re-applied and pruned (on IM:
 * deleted and created again, as the app says before it starts).
 */
import { AfpError } from '../errors';
import { userDataDir } from '../paths';
import { openInventory } from '../app/environments-core';
import { stringsOption, type CliCommand } from './command';
import { openOperations, printProgress, report, untilDone, waitOption, TIMEOUT_OPTION, FORCE_CONFLICTS_OPTION } from './operations-cli';
import { cliProfile } from './profile-option';
import { profileCatalogue, TEMPLATE_OPTIONS, userValues } from './template-input';

export const updateCommand: CliCommand = {
  summary:
    'Change values of a deployed environment (e.g. --set workers=4), re-apply and prune; with no values, restore what was changed outside the app',
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {
    ...TEMPLATE_OPTIONS,
    wait: { type: 'boolean', help: 'Wait until every pod is ready again (IM: until IM says configured)' },
    timeout: TIMEOUT_OPTION,
    'force-conflicts': FORCE_CONFLICTS_OPTION,
  },
  details:
    'With no --set or --values it restores: the recorded plan is applied again and fields changed outside the app (afp status shows them) are taken back.\n' +
    'Values not given keep what the environment has. The template is the one it was deployed from, looked up in the catalogue (give --templates again for a template from your own folder).\n' +
    'On IM and dispatcher environments an update deletes the infrastructure and creates it again: volume contents are lost.\n' +
    'Exit 0: updated (and ready with --wait); 1: failed, refused or cancelled; 2: usage.',
  async run({ options, positionals, io }) {
    const waitMs = waitOption(options);
    const which = positionals[0] ?? '';
    // No values: restore, i.e. re-apply the recorded plan and take back what was changed outside the app (drift).
    const restoring = stringsOption(options, 'set').length === 0 && options.values === undefined;
    const record = openInventory(userDataDir()).get(which);
    if (record === undefined) throw new AfpError('not_found', `No environment "${which}" in the inventory.`, { field: 'environment' });
    const profile = await cliProfile(options, io.cwd);
    const catalogue = await profileCatalogue(profile, stringsOption(options, 'templates'), io.cwd);
    const template = catalogue.get(record.template.name);
    if (template === undefined) {
      throw new AfpError(
        'not_found',
        `Environment ${record.name} was deployed from template "${record.template.name}", which is not in the catalogue; give its folder with --templates.`,
        { field: 'template' },
      );
    }
    const input = await userValues(template, options, profile, io.cwd);
    const cli = await openOperations(
      () => Promise.resolve(catalogue),
      () => record.target,
      profile,
    );
    const { operations } = cli;
    const stop = printProgress(operations, io, Date.now());
    try {
      const choices = {
        ...(waitMs === undefined ? {} : { waitForReadyMs: waitMs }),
        ...(options['force-conflicts'] === true ? { forceConflicts: true } : {}),
      };
      const handle = restoring ? await operations.restore(record.id, choices) : await operations.update(record.id, input.values, choices);
      const changed = Object.entries(input.values)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(', ');
      io.stderr.write(
        restoring
          ? `Restoring environment "${handle.name}": re-applying its recorded plan, taking back fields changed outside the app (operation ${handle.operationId})\n`
          : `Updating environment "${handle.name}" (${changed}; operation ${handle.operationId})\n`,
      );
      const result = await untilDone(operations, handle, io);
      const verb = restoring ? 'restored' : 'updated';
      return report(
        result,
        io,
        `Environment ${handle.name} ${waitMs === undefined ? `${verb}: every object applied` : `is ${verb} and ready`}`,
      );
    } finally {
      stop();
      cli.close();
    }
  },
};
