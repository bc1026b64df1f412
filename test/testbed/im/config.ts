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
  /** IM's PRIVATE_NET_MASKS: a pod's host IP inside one is "private", and IM then links to the API server's host instead. */
  privateNetMasks?: string[];
}

/**
 * IM's defaults (IM/config.py) with 10.0.0.0/8 narrowed to 10.0.0.0/9: the real
 * nodes' addresses (10.(192+k).0.x, node/network.ts) count as public, as at a
 * site whose nodes have routable addresses, so IM links a NodePort at
 * http://<node IP>:<port>/, which the host reaches.
 */
export const BED_PRIVATE_NET_MASKS = [
  '10.0.0.0/9',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '198.18.0.0/15',
];

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
  // IM splits list options on "," without trimming.
  if (config.privateNetMasks !== undefined) options.push(['PRIVATE_NET_MASKS', config.privateNetMasks.join(',')]);
  for (const [name, value] of options) {
    if (/[\r\n]/.test(String(value))) throw new Error(`im.cfg ${name}: a value may not span lines`);
  }
  return `[im]\n${options.map(([name, value]) => `${name} = ${typeof value === 'boolean' ? (value ? 'True' : 'False') : value}`).join('\n')}\n`;
}
