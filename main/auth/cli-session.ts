/**
 * The session as the `afp` commands use it: the file vault in the app's
 * user-data folder (AFP_CONFIG_DIR overrides it), renewal on demand only, and
 * a logger that stays silent (commands print their own outcome).
 */
import type { AuthUser } from '../contract/auth';
import type { Logger } from '../log';
import { defaultVaultFile, FileVault } from './file-vault';
import { AuthSession } from './session';
import type { AuthSettings } from './settings';

const SILENT: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface CliSession {
  session: AuthSession;
  vaultFile: string;
}

/** `expected`: the provider the site profile names, when the command has one (a session from another is not used). */
export async function openCliSession(
  env: NodeJS.ProcessEnv = process.env,
  expected?: Pick<AuthSettings, 'issuer' | 'clientId'>,
): Promise<CliSession> {
  const vaultFile = defaultVaultFile(env);
  const session = new AuthSession({
    vault: new FileVault(vaultFile),
    log: SILENT,
    ...(expected === undefined ? {} : { expected: () => expected }),
  });
  await session.ready;
  return { session, vaultFile };
}

export function describeUser(user: AuthUser): string {
  const email = user.email === undefined ? '' : ` <${user.email}>`;
  const groups = user.groups.length === 0 ? 'no groups' : `groups: ${user.groups.join(', ')}`;
  return `${user.name} (${user.username})${email}, ${groups}`;
}
