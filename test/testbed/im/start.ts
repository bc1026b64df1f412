/**
 * Starts the real Infrastructure Manager (PyPI "IM", pinned) for the test bed:
 * its REST API on a free 127.0.0.1 port, its OIDC issuer the bed's IdP, its
 * TLS trust (IdP userinfo, Kubernetes API server) the bed's CA. Returns once
 * GET /version answers.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ca } from '../ca';
import { IDP_CLIENT_ID } from '../idp/client';
import { freePort, LOOPBACK, waitFor, httpGet } from '../net';
import { ManagedProcess } from '../process';
import { BED_PRIVATE_NET_MASKS, imConfigText } from './config';
import { ensureIm, IM_VERSION } from './install';

export interface StartImOptions {
  ca: Pick<Ca, 'certPem' | 'certPath'>;
  /** Folder for IM's config, database and working files. */
  dir: string;
  logDir: string;
  /** The test IdP's issuer, IM's only OIDC_ISSUERS entry. */
  issuer: string;
  /** Another CA IM must trust (e.g. a separate API server's), beside `ca`. */
  caPath?: string;
  /** Required `aud` of access tokens; default the IdP's client id. Pass null to not check. */
  audience?: string | null;
  /** Groups a user must be in; default ['af-users'] (bob, in none, is refused). */
  groups?: string[];
  /** Seconds; default 2 (IM's own default is 10). */
  vmInfoUpdateFrequency?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARNING';
  /** IM's PRIVATE_NET_MASKS; default BED_PRIVATE_NET_MASKS (the real nodes' addresses are public). */
  privateNetMasks?: string[];
  /** Value of the bed marker variable in IM's environment (see process.ts); defaults to `dir`. */
  marker?: string;
}

export interface Im {
  /** REST base URL, e.g. http://127.0.0.1:PORT (POST {url}/infrastructures). */
  url: string;
  version: string;
  /** Absolute path of the TOSCA types file this IM's documents import (see NOTES.md). */
  toscaTypesPath: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const TOSCA_TYPES_PATH = join(HERE, 'tosca-types.yaml');

export async function startIm(opts: StartImOptions): Promise<Im> {
  const venv = await ensureIm();
  const dir = opts.dir;
  await mkdir(join(dir, 'conf'), { recursive: true, mode: 0o700 });
  let bundle = opts.ca.certPem;
  if (opts.caPath !== undefined && opts.caPath !== opts.ca.certPath) bundle += `\n${await readFile(opts.caPath, 'utf8')}`;
  const bundlePath = join(dir, 'ca-bundle.pem');
  await writeFile(bundlePath, bundle);

  const port = await freePort();
  const configPath = join(dir, 'im.cfg');
  const audience = opts.audience === undefined ? IDP_CLIENT_ID : (opts.audience ?? undefined);
  await writeFile(
    configPath,
    imConfigText({
      port,
      dataDir: dir,
      logFile: join(opts.logDir, 'im.log'),
      issuer: opts.issuer,
      ...(audience === undefined ? {} : { audience }),
      groups: opts.groups ?? ['af-users'],
      vmInfoUpdateFrequency: opts.vmInfoUpdateFrequency ?? 2,
      logLevel: opts.logLevel ?? 'INFO',
      privateNetMasks: opts.privateNetMasks ?? BED_PRIVATE_NET_MASKS,
    }),
  );

  const process = new ManagedProcess(
    {
      name: 'im',
      command: join(venv, 'bin', 'python'),
      args: [join(HERE, 'launch_im.py')],
      logDir: opts.logDir,
      // IM's TOSCA reader keeps a requests cache file in the working directory.
      cwd: dir,
      env: {
        ...globalThis.process.env,
        AFP_IM_CONFIG: configPath,
        // requests (userinfo, Kubernetes API) and urllib (TOSCA imports) verify against the bed's CA.
        REQUESTS_CA_BUNDLE: bundlePath,
        SSL_CERT_FILE: bundlePath,
        PYTHONUNBUFFERED: '1',
      },
    },
    opts.marker ?? dir,
  );
  process.start();
  const url = `http://${LOOPBACK}:${port}`;
  const version = await waitFor(
    'IM to answer GET /version',
    async () => {
      const answer = await httpGet(`${url}/version`);
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      return answer.body.trim();
    },
    { timeoutMs: 120_000, process, intervalMs: 200 },
  );
  if (version !== IM_VERSION) {
    await process.stop();
    throw new Error(`IM at ${url} reports version ${version}, expected ${IM_VERSION}`);
  }
  return { url, version, toscaTypesPath: TOSCA_TYPES_PATH, process, stop: () => process.stop() };
}
