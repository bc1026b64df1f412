/**
 * What a real node costs in memory: the resident set of its containerd,
 * kubelet, kube-proxy, kube-router (when it enforces NetworkPolicies) and containerd shims (the containers themselves not
 * counted), read from /proc. `npm run testbed -- status` prints it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { RealNodesRecord } from './leftovers';

export interface NodeMemory {
  node: string;
  /** Resident bytes per program: containerd, kubelet, kube-proxy, kube-router, shims (all of them). */
  rss: Record<'containerd' | 'kubelet' | 'kube-proxy' | 'kube-router' | 'shims', number>;
  total: number;
}

export function nodeMemory(record: RealNodesRecord): NodeMemory[] {
  const processes = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
        const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        return [{ cmdline, rss: rssKb * 1024 }];
      } catch {
        return [];
      }
    });
  return record.nodes.map(({ socket }) => {
    const nodeDir = dirname(socket);
    const rss = { containerd: 0, kubelet: 0, 'kube-proxy': 0, 'kube-router': 0, shims: 0 };
    for (const { cmdline, rss: bytes } of processes) {
      const program = basename(cmdline[0] ?? '');
      const mine = cmdline.some((arg) => arg.includes(`${nodeDir}/`) || arg === socket);
      if (!mine) continue;
      if (program === 'containerd') rss.containerd += bytes;
      else if (program === 'kubelet') rss.kubelet += bytes;
      else if (program === 'kube-proxy') rss['kube-proxy'] += bytes;
      else if (program === 'kube-router') rss['kube-router'] += bytes;
      else if (program.startsWith('containerd-shim')) rss.shims += bytes;
    }
    return { node: basename(nodeDir), rss, total: Object.values(rss).reduce((sum, bytes) => sum + bytes, 0) };
  });
}
