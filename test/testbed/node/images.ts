/**
 * The images a real node runs, all built on this machine (no registry is
 * reachable): the pinned images from test/testbed/images/build.sh (pause among
 * them: containerd's sandbox image) and the bed's own busybox
 * (busybox-image.sh: local-path-provisioner's helper pods, the realnode
 * tests). Each is imported into a node's containerd unless it is there already
 * with the same content (a node's containerd root outlives the bed, so this is
 * once per machine and per rebuilt image).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { lastLine, runBuildScript } from '../binaries';
import { ctr } from './containerd';

const IMAGES_SCRIPT = process.env.AFP_TESTBED_IMAGES_SCRIPT ?? fileURLToPath(new URL('../images/build.sh', import.meta.url));
const BUSYBOX_SCRIPT = fileURLToPath(new URL('./busybox-image.sh', import.meta.url));
const PAUSE_PREFIX = 'registry.k8s.io/pause:';

export interface NodeImages {
  /** Image reference → archive path. */
  archives: Map<string, string>;
  /** Archive path → its image's config digest (the image id, kept by import and by a push to the mirror). */
  configs: Map<string, string>;
  sandboxImage: string;
  busyboxImage: string;
}

/** Builds (or finds cached) every archive; `names` limits build.sh to some images (default: all it knows). */
export async function ensureNodeImages(names: string[] = []): Promise<NodeImages> {
  const imagesDir = lastLine(await runBuildScript(IMAGES_SCRIPT, names));
  const index = JSON.parse(await readFile(join(imagesDir, 'images.json'), 'utf8')) as Record<string, string>;
  const archives = new Map(Object.entries(index).map(([ref, file]) => [ref, join(imagesDir, file)]));
  const sandboxImage = [...archives.keys()].find((ref) => ref.startsWith(PAUSE_PREFIX));
  if (sandboxImage === undefined)
    throw new Error(`${IMAGES_SCRIPT} built no ${PAUSE_PREFIX}… image (see ${join(imagesDir, 'images.json')})`);
  const [busyboxArchive, busyboxImage] = lastLine(await runBuildScript(BUSYBOX_SCRIPT, [])).split(' ') as [string, string];
  archives.set(busyboxImage, busyboxArchive);
  const configs = new Map<string, string>();
  for (const archive of new Set(archives.values())) configs.set(archive, await archiveConfig(archive));
  return { archives, configs, sandboxImage, busyboxImage };
}

/** The config digest a docker-archive names in its manifest.json (GNU tar seeks past the layers). */
async function archiveConfig(archive: string): Promise<string> {
  const { stdout } = await promisify(execFile)('tar', ['-xOf', archive, './manifest.json'], { maxBuffer: 1024 * 1024 });
  const [entry] = JSON.parse(stdout) as { Config: string }[];
  if (entry === undefined) throw new Error(`${archive}: manifest.json names no image`);
  return `sha256:${entry.Config.replace(/\.json$/, '')}`;
}

/** Reference → config digest of each image the node's containerd holds (a rebuilt image keeps its reference). */
async function presentConfigs(socket: string): Promise<Map<string, string>> {
  const present = new Map<string, string>();
  for (const line of (await ctr(socket, 'images', 'ls')).split('\n').slice(1)) {
    const [ref, , digest] = line.split(/\s+/);
    if (ref === undefined || digest === undefined || !digest.startsWith('sha256:')) continue;
    const manifest = JSON.parse(await ctr(socket, 'content', 'get', digest)) as { config?: { digest?: string } };
    if (manifest.config?.digest !== undefined) present.set(ref, manifest.config.digest);
  }
  return present;
}

/**
 * Imports what the node's containerd lacks or holds in another build (a recipe changed since the
 * root was filled); one archive may carry several references (pause has two).
 */
export async function importImages(socket: string, images: NodeImages): Promise<void> {
  const present = await presentConfigs(socket);
  const missing = new Set<string>();
  for (const [ref, archive] of images.archives) if (present.get(ref) !== images.configs.get(archive)) missing.add(archive);
  for (const archive of missing) await ctr(socket, 'images', 'import', archive);
}
