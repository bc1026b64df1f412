/**
 * Starts our stand-in for the INFN dispatcher (infn-datacloud/im-connector)
 * in front of the test bed's IM: a child process on a free 127.0.0.1 port,
 * returned once it answers. Its behaviour and where it follows the real one
 * are in NOTES.md.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ca } from '../ca';
import { freePort, httpGet, LOOPBACK, waitFor } from '../net';
import { ManagedProcess } from '../process';
import { CONFIG_VARIABLE, type DispatcherConfig } from './config';

export interface StartDispatcherOptions {
  /** The bed's CA; the dispatcher trusts it when it fetches the IdP's keys. */
  ca: Pick<Ca, 'certPath'>;
  logDir: string;
  /** IM's base URL, for the /infrastructures proxy (deployments name IM's URL themselves). */
  imUrl: string;
  /** The one trusted issuer (the test IdP). */
  issuer: string;
  /** Value of the bed marker variable in the child's environment (see process.ts); defaults to `logDir`. */
  marker?: string;
}

export interface Dispatcher {
  url: string;
  /** POST here: {url}/api/v1/deployments. */
  deploymentsUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..', '..');

export async function startDispatcher(opts: StartDispatcherOptions): Promise<Dispatcher> {
  const port = await freePort();
  const config: DispatcherConfig = { port, imHost: opts.imUrl, trustedIssuers: [opts.issuer], caPath: opts.ca.certPath };
  const process = new ManagedProcess(
    {
      name: 'dispatcher',
      command: globalThis.process.execPath,
      args: ['--import', 'tsx', join(HERE, 'server.ts')],
      logDir: opts.logDir,
      cwd: REPO_ROOT,
      env: { ...globalThis.process.env, [CONFIG_VARIABLE]: JSON.stringify(config) },
    },
    opts.marker ?? opts.logDir,
  );
  process.start();
  const url = `http://${LOOPBACK}:${port}`;
  // The deployments route answers 405 to GET once the server is up.
  await waitFor(
    'the dispatcher to answer',
    async () => {
      const answer = await httpGet(`${url}/api/v1/deployments`);
      if (answer.status === 405) return true;
      throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
    },
    { timeoutMs: 30_000, process },
  );
  return { url, deploymentsUrl: `${url}/api/v1/deployments`, process, stop: () => process.stop() };
}
