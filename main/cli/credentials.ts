/**
 * `afp credentials <environment> [--json]`: the credentials the environment's
 * owner needs (as its template declares them), read now from its Secrets with
 * the kubeconfig it was deployed with (IM and the dispatcher: from the TOSCA
 * IM stores, as the signed-in user), printed to stdout only.
 */
import { environmentCredentials } from '../app/credentials';
import { needsSession, openInventory } from '../app/environments-core';
import type { CredentialsView } from '../contract/credentials';
import { AfpError } from '../errors';
import { userDataDir } from '../paths';
import { EXIT_OK, type CliCommand } from './command';
import { cliSession } from './operations-cli';
import { cliProfile, PROFILE_OPTION } from './profile-option';

export const credentialsCommand: CliCommand = {
  summary: "Show the credentials an environment's owner needs (hub sign-in, lab tokens, MinIO keys), read from its target now",
  positionals: { usage: '<environment>', min: 1, max: 1 },
  options: {
    json: { type: 'boolean', help: 'Print JSON: credentials (id, title, component, username, secret), unavailable' },
    profile: PROFILE_OPTION,
  },
  details:
    "Anyone whose kubeconfig can read the Secrets of the environment's namespace can read these (IM and the dispatcher: anyone IM lets read the infrastructure). Nothing is stored or logged; mind your terminal's scrollback.",
  async run({ options, positionals, io }) {
    const name = positionals[0] ?? '';
    const profile = await cliProfile(options, io.cwd);
    const inventory = openInventory(userDataDir());
    const record = inventory.get(name);
    if (record === undefined)
      throw new AfpError('not_found', `No environment named "${name}" in the inventory (${inventory.path}); afp list shows them.`);
    const session = needsSession(record.target, profile, 'observe') ? await cliSession(profile) : undefined;
    try {
      const view = await environmentCredentials(record, { profile: () => profile, session });
      io.stdout.write(options.json === true ? `${JSON.stringify(view, null, 2)}\n` : text(name, view));
      return EXIT_OK;
    } finally {
      session?.dispose();
    }
  },
};

function text(name: string, view: CredentialsView): string {
  if (view.unavailable !== undefined) return `${view.unavailable}\n`;
  if (view.credentials.length === 0) return `${name} has no credentials to show (its hub signs in with the site's identity provider).\n`;
  return view.credentials
    .map((c) =>
      [`${c.title} (${c.component})`, ...(c.username === undefined ? [] : [`  user name: ${c.username}`]), `  password:  ${c.secret}`].join(
        '\n',
      ),
    )
    .join('\n\n')
    .concat('\n');
}
