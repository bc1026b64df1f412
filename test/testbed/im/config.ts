/**
 * IM's im.cfg for the test bed: REST only on 127.0.0.1, SQLite in the bed's
 * folder, OIDC tokens required and checked against the test IdP, fast VM state
 * refresh, and TLS verification on (IM trusts the bed's CA through
 * REQUESTS_CA_BUNDLE, see start.ts).
 */
export interface ImConfig {
  port: number;
  dataDir: string;
  logFile: string;
  issuer: string;
  /** IM checks this string against the access token's `aud` claim. */
  audience?: string;
  /** Groups a user must have all of (IM's OIDC_GROUPS). */
  groups: string[];
  /** Seconds between IM's refreshes of each VM's (pod's) state. */
  vmInfoUpdateFrequency: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARNING';
}

export function imConfigText(config: ImConfig): string {
  const options: [string, string | number | boolean][] = [
    ['REST_ADDRESS', '127.0.0.1'],
    ['REST_PORT', config.port],
    ['DATA_DB', `sqlite://${config.dataDir}/inf.dat`],
    ['REMOTE_CONF_DIR', `${config.dataDir}/conf`],
    ['LOG_FILE', config.logFile],
    // The log file is shared with the process's own output; never rotate it away under it.
    ['LOG_FILE_MAX_SIZE', 1024 * 1024 * 1024],
    ['LOG_LEVEL', config.logLevel],
    ['VM_INFO_UPDATE_FREQUENCY', config.vmInfoUpdateFrequency],
    // Must stay above the update frequency (IM's documentation).
    ['VM_INFO_UPDATE_ERROR_GRACE_PERIOD', Math.max(30, config.vmInfoUpdateFrequency * 5)],
    ['OIDC_ISSUERS', config.issuer],
    ['FORCE_OIDC_AUTH', true],
    ['VERIFI_SSL', true],
  ];
  if (config.audience !== undefined) options.push(['OIDC_AUDIENCE', config.audience]);
  if (config.groups.length > 0) options.push(['OIDC_GROUPS', config.groups.join(',')]);
  for (const [name, value] of options) {
    if (/[\r\n]/.test(String(value))) throw new Error(`im.cfg ${name}: a value may not span lines`);
  }
  return `[im]\n${options.map(([name, value]) => `${name} = ${typeof value === 'boolean' ? (value ? 'True' : 'False') : value}`).join('\n')}\n`;
}
