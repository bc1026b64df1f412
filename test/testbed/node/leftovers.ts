/**
 * What real nodes leave behind if their bed dies without stopping them, and
 * how `down`, a failed start and the next bed's sweep clear it: the processes
 * of containers (not children of the bed: runc starts them), containerd shims,
 * the containers' cgroups, and the bed network (whose namespaces take the
 * interfaces, routes, iptables rules and pod networks with them). The node
 * mount namespaces need nothing: they end with their last process.
 * The record is written to `<bedDir>/real-nodes.json` (for the sweep) and
 * copied into the bed's env (for `down`, after the bed's folder is gone).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerCgroups, containerIds, killContainers, killShims, shimPids } from './containerd';
import { networkLeftovers, removeBedNetwork } from './network';
import type { BedNetwork } from './network';

const RECORD_FILE = 'real-nodes.json';

export interface RealNodesRecord {
  network: BedNetwork;
  nodes: { containerdRoot: string; socket: string }[];
}

export async function writeRecord(bedDir: string, record: RealNodesRecord): Promise<void> {
  await writeFile(join(bedDir, RECORD_FILE), JSON.stringify(record));
}

export async function readRecord(bedDir: string): Promise<RealNodesRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(bedDir, RECORD_FILE), 'utf8')) as RealNodesRecord;
  } catch {
    return undefined;
  }
}

/** Call after the bed's own processes are gone. */
export async function clearNodeLeftovers(record: RealNodesRecord | undefined): Promise<void> {
  if (record === undefined) return;
  for (const node of record.nodes) {
    await killShims(node.socket);
    await killContainers(node.containerdRoot);
  }
  await removeBedNetwork(record.network);
}

/** Everything of the bed's real nodes still there, described for a person ("netns afp0-n1", a cgroup path…). */
export async function nodeLeftovers(record: RealNodesRecord | undefined, bedDir: string): Promise<string[]> {
  const left: string[] = [];
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  for (const line of mounts.split('\n')) if (line.includes(bedDir)) left.push(`mount ${line.split(' ')[4]}`);
  if (record === undefined) return left;
  for (const node of record.nodes) {
    left.push(...shimPids(node.socket).map((pid) => `containerd shim pid ${pid}`));
    left.push(...(await containerCgroups(await containerIds(node.containerdRoot))).map((dir) => `cgroup ${dir}`));
    const mountsOfRoot = mounts.split('\n').filter((line) => line.includes(node.containerdRoot));
    left.push(...mountsOfRoot.map((line) => `mount ${line.split(' ')[4]}`));
  }
  left.push(...(await networkLeftovers(record.network)));
  return left;
}
