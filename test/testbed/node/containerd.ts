/**
 * A real node's own containerd (Debian's, not the system service): its own
 * root, state and socket under the node's folder, the CRI plugin with the CNI
 * bridge of this node, started inside the node's namespaces (holder.sh). Also
 * what is needed to clear up after it: the ids of its containers, whose cgroups
 * live in the host's hierarchy (/sys/fs/cgroup/<controller>/k8s.io/<id>).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../net';
import { ManagedProcess } from '../process';
import type { NodeAddressing } from './network';

const run = promisify(execFile);
export const CNI_BIN_DIR = '/usr/lib/cni';
const CGROUP_ROOT = '/sys/fs/cgroup';
/** containerd's CRI plugin puts every container of the k8s.io namespace here when the kubelet gives no cgroup parent. */
const CRI_CGROUP_PARENT = 'k8s.io';

export interface ContainerdOptions {
  nodeDir: string;
  logDir: string;
  marker: string;
  name: string;
  node: NodeAddressing;
  holderPid: number;
  /** Images and snapshots: kept across beds (see index.ts); state and socket are the node folder's. */
  containerdRoot: string;
  sandboxImage: string;
  /** containerd's config_path: a hosts.toml per registry naming the bed's mirror (registry.ts). */
  registryHostsDir?: string;
}

export interface Containerd {
  process: ManagedProcess;
  socket: string;
}

function containerdPaths(nodeDir: string, root: string): { socket: string; root: string; state: string } {
  return { socket: join(nodeDir, 'containerd.sock'), root, state: join(nodeDir, 'containerd-state') };
}

export async function startContainerd(opts: ContainerdOptions): Promise<Containerd> {
  const paths = containerdPaths(opts.nodeDir, opts.containerdRoot);
  const cniConfDir = join(opts.nodeDir, 'cni');
  await mkdir(cniConfDir, { recursive: true });
  await writeFile(join(cniConfDir, '10-afp.conflist'), JSON.stringify(cniConfig(opts)));
  const configPath = join(opts.nodeDir, 'containerd.toml');
  await writeFile(configPath, containerdConfig(opts, paths, cniConfDir));
  const process = new ManagedProcess(
    {
      name: `${opts.name}-containerd`,
      command: 'nsenter',
      args: [`--target=${opts.holderPid}`, '--mount', '--net', '--', 'containerd', `--config=${configPath}`],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  await waitFor('containerd to serve its socket', () => ctr(paths.socket, 'version').then(() => true), { timeoutMs: 30_000, process });
  return { process, socket: paths.socket };
}

/** The node's bridge (cni0, the pods' gateway), addresses from its pod range, and hostPort mappings. */
function cniConfig(opts: ContainerdOptions): object {
  return {
    cniVersion: '0.4.0',
    name: 'afp-bed',
    plugins: [
      {
        type: 'bridge',
        bridge: 'cni0',
        isGateway: true,
        // The pods' traffic never leaves the bed's namespaces, so it keeps its source address.
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: opts.node.podCidr }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: join(opts.nodeDir, 'cni-ipam'),
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

function containerdConfig(opts: ContainerdOptions, paths: ReturnType<typeof containerdPaths>, cniConfDir: string): string {
  return `version = 2
root = ${JSON.stringify(paths.root)}
state = ${JSON.stringify(paths.state)}
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = ${JSON.stringify(paths.socket)}

[ttrpc]
  address = ${JSON.stringify(`${paths.socket}.ttrpc`)}

[plugins."io.containerd.internal.v1.opt"]
  path = ${JSON.stringify(join(opts.nodeDir, 'containerd-opt'))}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${JSON.stringify(opts.sandboxImage)}
  # This VM refuses a negative oom_score_adj; without this every sandbox fails
  # with runc's "can't get final child's PID from pipe: EOF".
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = ${JSON.stringify(CNI_BIN_DIR)}
    conf_dir = ${JSON.stringify(cniConfDir)}
    max_conf_num = 1
${
  opts.registryHostsDir === undefined
    ? ''
    : `  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ${JSON.stringify(opts.registryHostsDir)}
`
}`;
}

/** Runs Debian's ctr against a node's containerd, in the CRI plugin's namespace. */
export async function ctr(socket: string, ...args: string[]): Promise<string> {
  try {
    return (await run('ctr', ['--address', socket, '--namespace', 'k8s.io', ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`ctr ${args.join(' ')}: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/** The ids of every sandbox and container the node's containerd made (its CRI plugin keeps a folder per id). */
export async function containerIds(containerdRoot: string): Promise<string[]> {
  const cri = join(containerdRoot, 'io.containerd.grpc.v1.cri');
  const ids: string[] = [];
  for (const kind of ['sandboxes', 'containers']) {
    try {
      ids.push(...(await readdir(join(cri, kind))));
    } catch {
      // none yet
    }
  }
  return ids;
}

/** The cgroup folders of those ids that still exist: in every controller (cgroup v1), or in the one hierarchy (v2). */
export async function containerCgroups(ids: string[]): Promise<string[]> {
  let controllers: string[];
  try {
    controllers = await readdir(CGROUP_ROOT);
  } catch {
    return [];
  }
  const parents = [
    join(CGROUP_ROOT, CRI_CGROUP_PARENT),
    ...controllers.map((controller) => join(CGROUP_ROOT, controller, CRI_CGROUP_PARENT)),
  ];
  return parents.flatMap((parent) => ids.map((id) => join(parent, id))).filter((dir) => existsSync(dir));
}

/** SIGKILLs every process in the containers' cgroups (a killed shim leaves its container running), then removes the cgroups. */
export async function killContainers(containerdRoot: string): Promise<void> {
  const cgroups = await containerCgroups(await containerIds(containerdRoot));
  for (let attempt = 0; attempt < 50; attempt++) {
    let alive = 0;
    for (const dir of cgroups) {
      const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
      for (const pid of procs.split('\n').filter((line) => line !== '')) {
        alive++;
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
    if (alive === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const dir of cgroups) await rmdir(dir).catch(() => undefined);
}

/** The shims of the containerd at `socket` (each runs in a process group of its own, so stopping containerd leaves them). */
export function shimPids(socket: string): number[] {
  const needle = `\0-address\0${socket}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (`${readFileSync(`/proc/${entry}/cmdline`, 'latin1')}`.includes(needle)) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

export async function killShims(socket: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = shimPids(socket);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
