/**
 * etcd for the test bed: one member on 127.0.0.1, plain HTTP on loopback,
 * data in the bed's folder, fsync off (the data dies with the bed anyway).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, LOOPBACK, waitFor, httpGet } from '../net';
import { ManagedProcess } from '../process';

export interface EtcdOptions {
  binDir: string;
  dir: string;
  logDir: string;
  marker: string;
}

export interface Etcd {
  url: string;
  process: ManagedProcess;
}

export async function startEtcd(opts: EtcdOptions): Promise<Etcd> {
  const dataDir = join(opts.dir, 'etcd');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const url = `http://${LOOPBACK}:${clientPort}`;
  const peer = `http://${LOOPBACK}:${peerPort}`;
  const process = new ManagedProcess(
    {
      name: 'etcd',
      command: join(opts.binDir, 'etcd'),
      args: [
        '--name=testbed',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=testbed=${peer}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      logDir: opts.logDir,
    },
    opts.marker,
  );
  process.start();
  await waitFor(
    'etcd to report healthy',
    async () => {
      const answer = await httpGet(`${url}/health`);
      if (answer.status === 200 && answer.body.includes('"true"')) return true;
      throw new Error(`HTTP ${answer.status}: ${answer.body}`);
    },
    { timeoutMs: 30_000, process },
  );
  return { url, process };
}
