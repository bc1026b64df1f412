/** afp login: signs in with the identity provider, through the browser or with a device code. */
import { openCliSession, describeUser } from '../auth/cli-session';
import { authSettingsFromProfile, type AuthSettings } from '../auth/settings';
import type { SignInHow } from '../auth/session';
import { EXIT_OK, stringOption, stringsOption, UsageError, type CliCommand, type CliIo, type OptionValues } from './command';
import { cliProfile } from './profile-option';

export const loginCommand: CliCommand = {
  summary: "Sign in with the site's identity provider (system browser, or --device)",
  positionals: { usage: '', min: 0, max: 0 },
  options: {
    device: { type: 'boolean', help: 'Sign in with a code on another device (no browser needed here)' },
    'no-browser': { type: 'boolean', help: 'Print the sign-in address instead of opening the browser' },
    issuer: { type: 'string', arg: 'URL', help: "OIDC issuer (default: the site profile's, else the one signed in with last)" },
    'client-id': { type: 'string', arg: 'ID', help: "The desktop app's public client id at that issuer" },
    'ca-file': { type: 'string', arg: 'FILE', help: "PEM of a CA to trust for the issuer (a site's own CA), besides the system's" },
    scope: {
      type: 'string',
      multiple: true,
      arg: 'SCOPE',
      help: 'Scope to request (repeatable; default openid profile email offline_access)',
    },
    'groups-claim': { type: 'string', arg: 'CLAIM', help: 'Claim holding groups or entitlements (default groups)' },
    profile: {
      type: 'string',
      arg: 'FILE',
      help: 'Site profile whose auth section names the provider (default: AFP_PROFILE, then the system-wide one)',
    },
  },
  details: 'The refresh token is kept in a 0600 file in the app folder (AFP_CONFIG_DIR overrides it); afp logout revokes and deletes it.',
  async run({ options, io }) {
    const { session, vaultFile } = await openCliSession();
    const active = await cliProfile(options, io.cwd);
    const fromProfile = active === null ? undefined : authSettingsFromProfile(active.profile);
    const settings = settingsFrom(options, fromProfile, session.status().settings);
    const controller = new AbortController();
    const interrupt = (): void => controller.abort();
    process.once('SIGINT', interrupt);
    try {
      const how = options.device === true ? devicePrompt(io) : await browserOpener(io, options['no-browser'] === true);
      const user = await session.signIn(settings, how, controller.signal);
      io.stdout.write(`Signed in as ${describeUser(user)}.\n`);
      io.stderr.write(session.status().persistent ? `Kept in ${vaultFile}.\n` : '');
      return EXIT_OK;
    } finally {
      process.removeListener('SIGINT', interrupt);
      session.dispose();
    }
  },
};

/** Flags first, then the site profile, then the provider signed in with last. */
function settingsFrom(options: OptionValues, fromProfile: AuthSettings | undefined, previous: AuthSettings | undefined): AuthSettings {
  const issuer = stringOption(options, 'issuer');
  const clientId = stringOption(options, 'client-id');
  if ((issuer === undefined) !== (clientId === undefined)) throw new UsageError('give --issuer and --client-id together');
  const known = fromProfile ?? previous;
  const base: AuthSettings | undefined =
    issuer !== undefined && clientId !== undefined ? { issuer, clientId } : known === undefined ? undefined : { ...known };
  if (base === undefined)
    throw new UsageError(
      'no identity provider known: give --issuer URL and --client-id ID, or a site profile with an auth section (--profile FILE)',
    );
  const caFile = stringOption(options, 'ca-file');
  const scopes = stringsOption(options, 'scope');
  const groupsClaim = stringOption(options, 'groups-claim');
  if (caFile !== undefined) base.caFile = caFile;
  if (scopes.length > 0) base.scopes = scopes;
  if (groupsClaim !== undefined) base.groupsClaim = groupsClaim;
  return base;
}

function devicePrompt(io: CliIo): SignInHow {
  return {
    method: 'device',
    onPrompt: (prompt) => {
      const minutes = Math.max(1, Math.round((prompt.expiresAt - Date.now()) / 60_000));
      io.stderr.write(`To sign in, open ${prompt.verificationUri}\nand enter the code: ${prompt.userCode}\n`);
      if (prompt.verificationUriComplete !== undefined) io.stderr.write(`(or open ${prompt.verificationUriComplete} directly)\n`);
      io.stderr.write(`Waiting for you to confirm (the code works for ${minutes} min; Ctrl-C cancels)…\n`);
    },
  };
}

async function browserOpener(io: CliIo, noBrowser: boolean): Promise<SignInHow> {
  // Loaded only here: the opener lives with the browser preview.
  const open = noBrowser ? (): Promise<boolean> => Promise.resolve(false) : (await import('../preview')).openInSystemBrowser;
  return {
    method: 'browser',
    open,
    onUrl: (url, opened) => {
      io.stderr.write(
        opened
          ? 'Your browser was opened to sign in. If nothing shows, open this address:\n'
          : 'Open this address in a browser on this computer to sign in:\n',
      );
      io.stderr.write(`  ${url}\nWaiting for the browser (Ctrl-C cancels)…\n`);
    },
  };
}
