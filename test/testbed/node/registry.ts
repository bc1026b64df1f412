/**
 * The bed's image registry mirror: Debian's docker-registry (distribution
 * 2.8) in the bed network's switch namespace at <services address>:5000,
 * plain http, serving every locally built image under its full reference
 * (quay.io/minio/minio:TAG as <mirror>/quay.io/minio/minio:TAG). Each node's
 * containerd resolves quay.io, docker.io, ghcr.io, registry.k8s.io… through a
 * hosts.toml that names only the mirror, so a pull (IM writes
 * `imagePullPolicy: Always` into every Deployment) reaches the mirror and never
 * an outside address. The storage lives in the cache, shared by every bed of
 * the machine, so images are pushed once per archive (registry-fill.sh).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { httpGet, waitFor } from '../net';
import { ManagedProcess } from '../process';
import type { BedNetwork } from './network';

const run = promisify(execFile);
const FILL_SCRIPT = fileURLToPath(new URL('./registry-fill.sh', import.meta.url));
export const REGISTRY_PORT = 5000;
/** Registries the templates and images/build.sh name images under; each is mirrored even when no image of ours is there yet. */
export const MIRRORED_REGISTRIES = ['docker.io', 'quay.io', 'ghcr.io', 'registry.k8s.io'] as const;

export interface RegistryOptions {
  network: BedNetwork;
  /** The bed's folder (the registry's config goes there). */
  dir: string;
  logDir: string;
  marker: string;
  /** The registry's storage, kept across beds. */
  storageDir: string;
}

export interface Registry {
  /** host:port, reachable from the host and from every node. */
  address: string;
  process: ManagedProcess;
}

/** The storage beside the nodes' cached containerd roots (`binDir` is the node programs' folder). */
export function registryStorageOf(binDir: string): string {
  return join(dirname(dirname(binDir)), 'registry');
}

export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const address = `${opts.network.servicesIp}:${REGISTRY_PORT}`;
  await mkdir(opts.storageDir, { recursive: true });
  const config = join(opts.dir, 'registry.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog: { disabled: true }',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(opts.storageDir)}`,
      '  cache: { blobdescriptor: inmemory }',
      'http:',
      `  addr: ${JSON.stringify(address)}`,
      '',
    ].join('\n'),
  );
  const process = new ManagedProcess(
    {
      name: 'registry',
      command: 'ip',
      args: ['netns', 'exec', opts.network.switchNetns, 'docker-registry', 'serve', config],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  await waitFor(
    'the registry mirror to answer /v2/',
    async () => ((await httpGet(`http://${address}/v2/`)).status === 200 ? true : undefined),
    { timeoutMs: 30_000, process, intervalMs: 200 },
  );
  return { address, process };
}

/** Pushes what the mirror lacks (registry-fill.sh); resolves with its report, one line per image. */
export async function fillRegistry(registry: Registry, storageDir: string, archives: Map<string, string>): Promise<string[]> {
  const args = [...archives].flatMap(([ref, archive]) => [ref, archive]);
  try {
    const { stdout } = await run('bash', [FILL_SCRIPT, registry.address, storageDir, ...args], { maxBuffer: 4 * 1024 * 1024 });
    return stdout.trim().split('\n');
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`filling the registry mirror at ${registry.address} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** docker's normalisation: the first path component names the registry when it has a dot or a port or is localhost. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/**
 * containerd's `config_path` folder: <registry>/hosts.toml for each registry,
 * naming the mirror's path for it both as the host to try and as the server
 * (so nothing falls back to the real registry).
 */
export async function writeRegistryHosts(dir: string, address: string, refs: Iterable<string>): Promise<string> {
  const registries = new Set<string>([...MIRRORED_REGISTRIES, ...[...refs].map(registryOf)]);
  for (const registry of registries) {
    const mirror = `http://${address}/v2/${registry}`;
    await mkdir(join(dir, registry), { recursive: true });
    await writeFile(
      join(dir, registry, 'hosts.toml'),
      [
        `# ${registry} is served by the test bed's mirror (node/registry.ts); nothing leaves the bed.`,
        `server = ${JSON.stringify(mirror)}`,
        'override_path = true',
        '',
        `[host.${JSON.stringify(mirror)}]`,
        '  capabilities = ["pull", "resolve"]',
        '  override_path = true',
        '',
      ].join('\n'),
    );
  }
  return dir;
}
