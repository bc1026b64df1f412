/** afp logout: revokes the refresh token where the provider allows it and deletes the vault. */
import { openCliSession } from '../auth/cli-session';
import { EXIT_OK, type CliCommand } from './command';

export const logoutCommand: CliCommand = {
  summary: 'Sign out: revoke the sign-in at the identity provider and delete the token vault',
  positionals: { usage: '', min: 0, max: 0 },
  options: {},
  async run({ io }) {
    const { session } = await openCliSession();
    const before = session.status();
    const issuer = before.settings?.issuer;
    const result = await session.signOut();
    session.dispose();
    if (before.state === 'signed-out' && before.error === undefined) {
      io.stdout.write('Not signed in.\n');
      return EXIT_OK;
    }
    io.stdout.write(result.revoked && issuer !== undefined ? `Signed out; the sign-in was revoked at ${issuer}.\n` : 'Signed out.\n');
    if (result.notice !== undefined) io.stderr.write(`note: ${result.notice}\n`);
    return EXIT_OK;
  },
};
