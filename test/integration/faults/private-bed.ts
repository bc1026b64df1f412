/**
 * A test bed of the fault suite's own, for the faults that would break the
 * suites sharing the usual bed: the API server stopped, etcd frozen. Gives
 * kubectl against it, kubeconfigs (direct or through a fault proxy of the
 * test's own), and the freezing of a server's process.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startTestbed, type Testbed, type TestbedOptions } from '../../testbed/index';
import { FaultProxy } from '../../testbed/fault/proxy';
import { kubeconfigYaml } from '../../testbed/kube/kubeconfig';
import type { KubectlResult } from '../../support/testbed';

export interface PrivateBed {
  bed: Testbed;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  kubectlOk(args: string[], input?: string): Promise<string>;
  /** A TCP fault proxy of this file in front of the bed's API server, and an admin kubeconfig through it. */
  proxied(name: string): Promise<{ proxy: FaultProxy; kubeconfig: string }>;
  /** SIGSTOP / SIGCONT to a server's whole process group: it holds its sockets open and answers nothing. */
  freeze(server: string): void;
  thaw(server: string): void;
  stop(): Promise<void>;
}

export async function startPrivateBed(options: TestbedOptions = { idp: false, im: false, dispatcher: false }): Promise<PrivateBed> {
  const bed = await startTestbed(options);
  const proxies: FaultProxy[] = [];
  const frozen = new Set<string>();
  const kubectl = (args: string[], input?: string): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        bed.env.kubectl,
        [`--kubeconfig=${bed.env.adminKubeconfig}`, ...args],
        { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
      );
      child.stdin?.end(input ?? '');
    });
  const signalGroup = (server: string, signal: NodeJS.Signals): void => {
    const pid = bed.servers.get(server)?.pid();
    if (pid === undefined) throw new Error(`no process for server ${server}`);
    process.kill(-pid, signal);
  };
  return {
    bed,
    kubectl,
    kubectlOk: async (args, input) => {
      const result = await kubectl(args, input);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()} (logs: ${bed.env.logDir})`);
      return result.stdout;
    },
    proxied: async (name) => {
      const config = parseYaml(readFileSync(bed.env.adminKubeconfig, 'utf8')) as {
        clusters: { cluster: { 'certificate-authority-data': string } }[];
        users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
      };
      const decode = (data: string | undefined): string => Buffer.from(data ?? '', 'base64').toString('utf8');
      const ca = decode(config.clusters[0]?.cluster['certificate-authority-data']);
      const api = new URL(bed.env.apiServerUrl);
      const proxy = await FaultProxy.start({ name, mode: 'tcp', upstream: { host: api.hostname, port: Number(api.port), tlsCa: ca } });
      proxies.push(proxy);
      const kubeconfig = path.join(bed.dir, `${name}.kubeconfig`);
      writeFileSync(
        kubeconfig,
        kubeconfigYaml({
          server: proxy.url,
          caPem: ca,
          clientCertPem: decode(config.users[0]?.user['client-certificate-data']),
          clientKeyPem: decode(config.users[0]?.user['client-key-data']),
        }),
        { mode: 0o600 },
      );
      return { proxy, kubeconfig };
    },
    freeze: (server) => {
      signalGroup(server, 'SIGSTOP');
      frozen.add(server);
    },
    thaw: (server) => {
      signalGroup(server, 'SIGCONT');
      frozen.delete(server);
    },
    stop: async () => {
      // A frozen process would ignore the bed's SIGTERM until its grace ran out.
      for (const server of frozen) signalGroup(server, 'SIGCONT');
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await bed.stop();
    },
  };
}
