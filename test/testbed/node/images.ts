/**
 * The images a real node runs, all built on this machine (no registry is
 * reachable): the pinned images from test/testbed/images/build.sh (pause among
 * them: containerd's sandbox image) and the bed's own busybox
 * (busybox-image.sh: local-path-provisioner's helper pods, the realnode
 * tests). Each is imported into a node's containerd unless it is there already
 * (a node's containerd root outlives the bed, so this is once per machine).
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastLine, runBuildScript } from '../binaries';
import { ctr } from './containerd';

const IMAGES_SCRIPT = process.env.AFP_TESTBED_IMAGES_SCRIPT ?? fileURLToPath(new URL('../images/build.sh', import.meta.url));
const BUSYBOX_SCRIPT = fileURLToPath(new URL('./busybox-image.sh', import.meta.url));
const PAUSE_PREFIX = 'registry.k8s.io/pause:';

export interface NodeImages {
  /** Image reference → archive path. */
  archives: Map<string, string>;
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
  return { archives, sandboxImage, busyboxImage };
}

/** Labels an imported image with the archive it came from: the archive's name carries its recipe's key. */
const ARCHIVE_LABEL = 'afp.dev/archive';

/**
 * Imports what the node's containerd lacks or holds from another archive: a changed recipe (a pin file, say)
 * builds a new archive under the same reference, which a check by reference alone would never import.
 * One archive may carry several references (pause has two).
 */
export async function importImages(socket: string, images: NodeImages): Promise<void> {
  const present = importedArchives(await ctr(socket, 'images', 'ls'));
  const stale = new Map<string, string[]>();
  for (const [ref, archive] of images.archives) {
    if (present.get(ref) !== basename(archive)) stale.set(archive, [...(stale.get(archive) ?? []), ref]);
  }
  for (const [archive, refs] of stale) {
    await ctr(socket, 'images', 'import', archive);
    for (const ref of refs) await ctr(socket, 'images', 'label', ref, `${ARCHIVE_LABEL}=${basename(archive)}`);
  }
}

/** Reference → the archive it was imported from, read from `ctr images ls` (labels are its last column, `k=v,…`). */
export function importedArchives(listing: string): Map<string, string | undefined> {
  const imported = new Map<string, string | undefined>();
  for (const line of listing.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const ref = columns[0];
    if (ref === undefined || ref === '') continue;
    const labels = (columns.at(-1) ?? '').split(',');
    const archive = labels.find((label) => label.startsWith(`${ARCHIVE_LABEL}=`))?.slice(ARCHIVE_LABEL.length + 1);
    imported.set(ref, archive);
  }
  return imported;
}
