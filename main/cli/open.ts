/**
 * `afp open <environment> [link]`: opens one of the environment's links in
 * the browser (AFP_BROWSER, else the system's). A link the cluster does not
 * publish is reached through a port-forward on 127.0.0.1 that this command
 * holds until Ctrl-C; a published one is opened and the command ends.
 */
import { holdLink } from '../app/link-hold';
import { needsSession, openInventory, statusReaders } from '../app/environments-core';
import { AfpError } from '../errors';
import { userDataDir } from '../paths';
import { isEnvironmentLinkUrl } from '../shell/external-links';
import { openInSystemBrowser } from '../shell/system-browser';
import { EXIT_OK, type CliCommand } from './command';
import { cliSession } from './operations-cli';
import { cliProfile, PROFILE_OPTION } from './profile-option';

export const openCommand: CliCommand = {
  summary: "Open an environment's link in the browser, holding a port-forward until Ctrl-C when the link is cluster-only",
  positionals: { usage: '<environment> [link]', min: 1, max: 2 },
  options: {
    'no-browser': { type: 'boolean', help: 'Print the URL (and hold the forward) without opening a browser' },
    profile: PROFILE_OPTION,
  },
  details:
    'The link is its id or title as afp status lists them; without one, the environment must have exactly one link. AFP_BROWSER names a program to open links with instead of the system browser.',
  async run({ options, positionals, io }) {
    const [name = '', which] = positionals;
    const profile = await cliProfile(options, io.cwd);
    const inventory = openInventory(userDataDir());
    const record = inventory.get(name);
    if (record === undefined)
      throw new AfpError('not_found', `No environment named "${name}" in the inventory (${inventory.path}); afp list shows them.`);
    const session = needsSession(record.target, profile, 'observe') ? await cliSession(profile) : undefined;
    try {
      const readers = statusReaders({ profile: () => profile, session });
      const held = await holdLink(record, readers, which);
      try {
        if (!isEnvironmentLinkUrl(held.url))
          throw new AfpError('forbidden', `Not opened: ${held.url} is not an http(s) address without credentials.`);
        const opened = options['no-browser'] === true ? false : await openInSystemBrowser(held.url);
        io.stdout.write(`${held.link.title}: ${held.url}\n`);
        if (!opened) io.stderr.write('No browser was opened: open the address above yourself.\n');
        if (!held.forwarded) return EXIT_OK;
        io.stderr.write(`Forwarding ${held.url} to ${record.name} through the cluster's API server; Ctrl-C stops it.\n`);
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
        io.stderr.write('Port-forward stopped.\n');
        return EXIT_OK;
      } finally {
        held.release();
      }
    } finally {
      session?.dispose();
    }
  },
};
