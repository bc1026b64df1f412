/** afp whoami: who is signed in, with which groups, renewing the sign-in to prove it still works. */
import { describeUser, openCliSession } from '../auth/cli-session';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from './command';

export const whoamiCommand: CliCommand = {
  summary: 'Show who is signed in, their groups and the token expiry',
  positionals: { usage: '', min: 0, max: 0 },
  options: { json: { type: 'boolean', help: 'Print JSON: signedIn, user, issuer, clientId, expiresAt' } },
  async run({ options, io }) {
    const { session } = await openCliSession();
    try {
      if (session.status().state === 'signed-out' && session.status().error === undefined) {
        if (options.json === true) io.stdout.write(`${JSON.stringify({ signedIn: false }, null, 2)}\n`);
        else io.stderr.write('Not signed in; run afp login.\n');
        return EXIT_FAILURE;
      }
      // Renewing proves the sign-in is still valid at the provider (not revoked, not expired).
      await session.accessToken();
      const status = session.status();
      const expiresAt = status.expiresAt === undefined ? undefined : new Date(status.expiresAt).toISOString();
      if (options.json === true) {
        const out = { signedIn: true, user: status.user, issuer: status.settings?.issuer, clientId: status.settings?.clientId, expiresAt };
        io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        if (status.user !== undefined) io.stdout.write(`${describeUser(status.user)}\n`);
        io.stdout.write(
          `issuer: ${status.settings?.issuer ?? '?'}\naccess token valid until ${expiresAt ?? '?'} (renewed automatically)\n`,
        );
      }
      return EXIT_OK;
    } finally {
      session.dispose();
    }
  },
};
