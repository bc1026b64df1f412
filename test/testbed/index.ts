/**
 * startTestbed(): the real servers of DESIGN §8 on 127.0.0.1, started in
 * dependency order (CA → IdP → etcd → API server → controller manager,
 * scheduler, kwok → nodes → IM → dispatcher → fault proxies), described by a
 * TestbedEnv written to disk, and stopped with stop(), process groups and all.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createCa } from './ca';
import type { Ca } from './ca';
import { ensureBinaries, ensureKubeRouter, ensureNodeBinaries } from './binaries';
import { writeEnv } from './env';
import type { TestbedEnv } from './env';
import { startBedProxies } from './fault/bed-proxies';
import type { ServerSwitch } from './fault/control';
import type { FaultProxy } from './fault/proxy';
import type { KubeClient } from './kube/client';
import { startCluster } from './kube/cluster';
import type { NodeHelpers } from './kube/nodes';
import { waitHealthy } from './net';
import { startIdp } from './idp';
import { startDispatcher } from './dispatcher';
import type { Dispatcher } from './dispatcher';
import { startIm } from './im';
import type { Im } from './im';
import type { ManagedProcess } from './process';
import { BED_DIR_PREFIX, clearBed, ownerFile, sweepStaleBeds } from './stale';
import { forwardApiServer, forwardLoopbackPort } from './node/api-forward';
import { LOCAL_PATH_CLASS } from './node/addons';
import { ensureNodeImages } from './node/images';
import { REAL_NODE_TAINT } from './node/kubelet';
import { createBedNetwork } from './node/network';
import { writeRecord } from './node/leftovers';
import { startRealNodes } from './node/index';
import { fillRegistry, registryStorageOf, startRegistry, writeRegistryHosts } from './node/registry';
import type { Registry } from './node/registry';
import type { RealNodes } from './node/index';
import { REAL_NODE_LABEL } from './kube/nodes';

export type { TestbedEnv } from './env';
export type { FaultSettings, CutOptions, HttpErrorRule } from './fault/proxy';
export type { NodeShape, Taint } from './kube/nodes';
export { NAPLES_NODES } from './kube/nodes';

/**
 * What a shared bed (`npm test`, `npm run testbed -- up`) starts beside the kwok
 * nodes: two real nodes (pod to pod across nodes) with every image of
 * test/testbed/images/build.sh. AFP_TESTBED_REAL_NODES=<n> changes the count (0: none,
 * and the realnode tests skip, saying so); AFP_TESTBED_REAL_NODE_IMAGES=pause,minio
 * builds and imports only those images (a quicker start while developing).
 */
export const REAL_NODES_VARIABLE = 'AFP_TESTBED_REAL_NODES';
export const REAL_NODE_IMAGES_VARIABLE = 'AFP_TESTBED_REAL_NODE_IMAGES';
/** `AFP_TESTBED_NETWORK_POLICY=0`: real nodes without kube-router (to measure its cost, or to see a denial test fail). */
export const NETWORK_POLICY_VARIABLE = 'AFP_TESTBED_NETWORK_POLICY';
const SHARED_BED_REAL_NODES = 2;

export function sharedBedOptions(): Pick<TestbedOptions, 'realNodes' | 'realNodeImages' | 'networkPolicy'> {
  const value = process.env[REAL_NODES_VARIABLE];
  const count = value === undefined || value === '' ? SHARED_BED_REAL_NODES : Number(value);
  if (!Number.isInteger(count) || count < 0 || count > 9)
    throw new Error(`${REAL_NODES_VARIABLE}=${value}: give a whole number from 0 to 9`);
  const images = (process.env[REAL_NODE_IMAGES_VARIABLE] ?? '').split(',').filter((name) => name !== '');
  return {
    realNodes: count,
    ...(images.length > 0 ? { realNodeImages: images } : {}),
    ...(process.env[NETWORK_POLICY_VARIABLE] === '0' ? { networkPolicy: false } : {}),
  };
}

export interface TestbedOptions {
  /** Start the OIDC provider (default: yes); the API server then trusts it. */
  idp?: boolean;
  /** Start IM (default: yes; needs the IdP). */
  im?: boolean;
  /** Start the dispatcher (default: when IM starts). */
  dispatcher?: boolean;
  /** Where to write the TestbedEnv JSON; default `<bedDir>/env.json`. */
  envFile?: string;
  /**
   * Real container nodes (kubelet + containerd, node/): 0 by default. Beside kwok
   * nodes they are tainted afp.dev/node=real:NoSchedule; without kwok nodes, not.
   */
  realNodes?: number;
  /** The simulated Naples nodes (default: yes). */
  kwokNodes?: boolean;
  /** Enforce NetworkPolicies on the real nodes with kube-router (default: yes). */
  networkPolicy?: boolean;
  /** Which of test/testbed/images/build.sh's images to build and import (default: all it knows). */
  realNodeImages?: string[];
  /** Progress, one line per step, with the time since start. */
  onStep?: (step: string, elapsedMs: number) => void;
}

export interface Testbed {
  dir: string;
  env: TestbedEnv;
  envFile: string;
  ca: Ca;
  /** Admin REST client for the bed's own chores. */
  kube: KubeClient;
  nodes: NodeHelpers;
  /** tcp-mode proxy in front of the API server, an http-mode one (bearer tokens only), the IdP's and IM's. */
  proxies: { apiServer: FaultProxy; apiServerHttp: FaultProxy; idp?: FaultProxy; im?: FaultProxy };
  /** Stop / start / restart a server by name (kube-apiserver, etcd, kwok, …). */
  servers: Map<string, ServerSwitch>;
  /** Milliseconds from the call to all-ready, per step. */
  timings: Record<string, number>;
  /** Stops every server; the bed's folder goes too, except its logs when `keepLogs` (say, after a failed run). */
  stop(opts?: { keepLogs?: boolean }): Promise<void>;
}

export async function startTestbed(opts: TestbedOptions = {}): Promise<Testbed> {
  const began = Date.now();
  const timings: Record<string, number> = {};
  const step = (name: string): void => {
    timings[name] = Date.now() - began;
    opts.onStep?.(name, timings[name]);
  };
  await sweepStaleBeds();
  const realNodes = opts.realNodes ?? 0;
  const enforce = realNodes > 0 && opts.networkPolicy !== false;
  const [binDir, nodeBinDir, nodeImages, kubeRouterDir] = await Promise.all([
    ensureBinaries(),
    realNodes > 0 ? ensureNodeBinaries() : undefined,
    realNodes > 0 ? ensureNodeImages(opts.realNodeImages) : undefined,
    enforce ? ensureKubeRouter() : undefined,
  ]);
  step('binaries');

  const dir = await mkdtemp(join(tmpdir(), BED_DIR_PREFIX));
  const logDir = join(dir, 'logs');
  await mkdir(logDir);
  await writeFile(ownerFile(dir), JSON.stringify({ pid: process.pid }));
  const stack = new StopStack();
  const servers = new Map<string, ServerSwitch>();
  const processes: ManagedProcess[] = [];
  // If the owner exits without stop() (an uncaught error, process.exit), its servers go with it.
  const killOnExit = (): void => {
    for (const child of processes) if (child.running && child.pid !== undefined) killGroupNow(child.pid);
  };
  process.on('exit', killOnExit);
  stack.push('exit hook', () => Promise.resolve(void process.off('exit', killOnExit)));
  // Servers that start beside the cluster; a failed start waits for them so none is left running.
  const starting: Promise<unknown>[] = [];
  const beside = <T>(promise: Promise<T>): Promise<T> => {
    starting.push(promise.catch(() => undefined));
    return promise;
  };
  try {
    const ca = await createCa(join(dir, 'pki'));
    step('ca');
    const network =
      realNodes > 0 ? await createBedNetwork(realNodes, (claimed) => writeRecord(dir, { network: claimed, nodes: [] })) : undefined;
    const register = (name: string, server: PeerServer, healthUrl?: string): void => {
      stack.push(name, () => server.stop());
      servers.set(name, peerSwitch(name, server, healthUrl, ca));
      if (server.process !== undefined) processes.push(server.process);
      step(name);
    };

    // The IdP starts beside etcd (the API server, which trusts it, waits for it); IM and the
    // dispatcher need only the IdP, so they start beside the rest of the cluster.
    const idpReady = beside(
      (opts.idp ?? true)
        ? startIdp({ ca, dir, logDir, marker: dir, ...(network === undefined ? {} : { alsoAt: [network.hostIp] }) }).then((started) => {
            register('idp', started, `${started.issuer}/.well-known/openid-configuration`);
            return started;
          })
        : Promise.resolve(undefined),
    );
    const wantIm = opts.im ?? true;
    const imReady = beside(
      idpReady.then(async (idp): Promise<Im | undefined> => {
        if (!wantIm) return undefined;
        if (idp === undefined) throw new Error('IM needs the IdP (its OIDC issuer); start the bed with idp enabled');
        const started = await startIm({ ca, dir: join(dir, 'im'), logDir, marker: dir, issuer: idp.issuer });
        register('im', started);
        return started;
      }),
    );
    const wantDispatcher = opts.dispatcher ?? wantIm;
    const dispatcherReady = beside(
      Promise.all([idpReady, imReady]).then(async ([idp, im]): Promise<Dispatcher | undefined> => {
        if (!wantDispatcher) return undefined;
        if (im === undefined || idp === undefined) throw new Error('the dispatcher needs IM and the IdP; start the bed with both enabled');
        const started = await startDispatcher({ ca, logDir, marker: dir, imUrl: im.url, issuer: idp.issuer });
        register('dispatcher', started);
        return started;
      }),
    );

    const cluster = await startCluster({
      binDir,
      dir,
      logDir,
      marker: dir,
      ca,
      oidc: idpReady.then((started) =>
        started === undefined ? undefined : { issuer: started.issuer, clientId: started.clientId, caPem: ca.certPem },
      ),
      onProcess: (child, waitReady) => {
        processes.push(child);
        stack.push(child.name, () => child.stop());
        servers.set(child.name, processSwitch(child, waitReady));
      },
      onStep: step,
      ...(opts.kwokNodes === false ? { kwokNodes: false } : {}),
      ...(network === undefined ? {} : { advertiseAddress: network.hostIp }),
    });
    stack.push('kube client', () => Promise.resolve(cluster.client.close()));
    let real: RealNodes | undefined;
    let registry: Registry | undefined;
    let registryFilled: Promise<string[]> = Promise.resolve([]);
    if (network !== undefined && nodeBinDir !== undefined && nodeImages !== undefined) {
      // The mirror answers pulls (IM's imagePullPolicy: Always); the nodes still get their images by import (see README).
      const storageDir = registryStorageOf(nodeBinDir);
      const mirror = await startRegistry({ network, dir, logDir, marker: dir, storageDir });
      registry = mirror;
      processes.push(mirror.process);
      stack.push('registry', () => mirror.process.stop());
      servers.set(
        'registry',
        processSwitch(mirror.process, () => Promise.resolve()),
      );
      registryFilled = beside(fillRegistry(mirror, storageDir, nodeImages.archives));
      step('registry');
      const registryHostsDir = await writeRegistryHosts(join(dir, 'registry-hosts'), mirror.address, nodeImages.archives.keys());
      const forward = await forwardApiServer(network.hostIp, cluster.apiServerPort);
      stack.push('api server forward', () => forward.close());
      const taint = opts.kwokNodes !== false;
      real = await startRealNodes({
        binDir: nodeBinDir,
        dir,
        logDir,
        marker: dir,
        ca,
        kube: cluster.client,
        network,
        images: nodeImages,
        adminKubeconfig: cluster.adminKubeconfig,
        apiPort: cluster.apiServerPort,
        registryHostsDir,
        taint,
        ...(kubeRouterDir === undefined ? {} : { kubeRouterBin: join(kubeRouterDir, 'kube-router') }),
        onProcess: (child) => {
          processes.push(child);
          servers.set(
            child.name,
            processSwitch(child, () => Promise.resolve()),
          );
        },
        onStep: step,
      });
      const started = real;
      stack.push('real nodes', () => started.stop());
    }
    const [idp, im, dispatcher] = await Promise.all([idpReady, imReady, dispatcherReady]);
    const filled = await registryFilled;
    if (filled.length > 0) step(`registry filled (${filled.filter((line) => line.startsWith('pushed')).length} pushed)`);
    // Pods (a hub signing users in) reach the IdP at the host's address on the nodes' network, as they reach the API server.
    let idpForPods: string | undefined;
    if (network !== undefined && idp !== undefined) {
      const port = Number(new URL(idp.issuer).port);
      const forward = await forwardLoopbackPort(network.hostIp, port);
      stack.push('idp forward', () => forward.close());
      idpForPods = `https://${network.hostIp}:${port}`;
    }

    const faults = await startBedProxies({
      ca,
      dir,
      apiServerUrl: cluster.apiServerUrl,
      admin: cluster.admin,
      adminToken: cluster.adminToken,
      ...(idp === undefined ? {} : { idpIssuer: idp.issuer }),
      ...(im === undefined ? {} : { imUrl: im.url }),
      servers,
    });
    stack.push('fault proxies', () => faults.close());
    step('fault proxies');

    const env: TestbedEnv = {
      version: 1,
      dir,
      apiServerUrl: cluster.apiServerUrl,
      caPath: ca.certPath,
      adminKubeconfig: cluster.adminKubeconfig,
      adminToken: cluster.adminToken,
      kubectl: join(binDir, 'kubectl'),
      binDir,
      logDir,
      ...(idp === undefined ? {} : { idp: { issuer: idp.issuer, clientId: idp.clientId, users: idp.users, hubClient: idp.hubClient } }),
      ...(im === undefined ? {} : { imUrl: im.url }),
      ...(dispatcher === undefined ? {} : { dispatcherUrl: dispatcher.url }),
      proxies: faults.env,
      ...(network === undefined || nodeImages === undefined || real === undefined
        ? {}
        : {
            realNodes: {
              names: real.names,
              label: `${REAL_NODE_LABEL}=real`,
              ...(opts.kwokNodes !== false ? { taint: REAL_NODE_TAINT } : {}),
              storageClass: LOCAL_PATH_CLASS,
              busyboxImage: nodeImages.busyboxImage,
              images: [...nodeImages.archives.keys()],
              hostIp: network.hostIp,
              ...(registry === undefined ? {} : { registry: registry.address }),
              clusterCidr: network.clusterCidr,
              ...(idpForPods === undefined ? {} : { idpUrl: idpForPods }),
              ...(kubeRouterDir === undefined ? {} : { networkPolicy: basename(dirname(kubeRouterDir)).replace(/-(v[^-]+)$/, ' $1') }),
              record: real.record,
            },
          }),
      ownerPid: process.pid,
      processes: processes.flatMap((child) => (child.pid === undefined ? [] : [{ name: child.name, pid: child.pid }])),
      startedAt: new Date(began).toISOString(),
      startMs: Date.now() - began,
    };
    const envFile = opts.envFile ?? join(dir, 'env.json');
    await writeEnv(envFile, env);
    step('ready');

    let stopped: Promise<void> | undefined;
    return {
      dir,
      env,
      envFile,
      ca,
      kube: cluster.client,
      nodes: cluster.nodes,
      proxies: {
        apiServer: faults.proxies.get('apiServer')!,
        apiServerHttp: faults.proxies.get('apiServerHttp')!,
        ...(faults.proxies.has('idp') ? { idp: faults.proxies.get('idp')! } : {}),
        ...(faults.proxies.has('im') ? { im: faults.proxies.get('im')! } : {}),
      },
      servers,
      timings,
      stop: (stopOpts = {}) => (stopped ??= teardown(stack, dir, opts.envFile, stopOpts.keepLogs === true ? 'keep-logs' : 'remove')),
    };
  } catch (error) {
    await Promise.all(starting);
    await teardown(stack, dir, undefined, 'keep-logs').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the test bed did not start: ${reason}\n(logs kept in ${logDir})`, { cause: error });
  }
}

interface PeerServer {
  process?: ManagedProcess;
  stop(): Promise<void>;
}

function processSwitch(child: ManagedProcess, waitReady: () => Promise<void>): ServerSwitch {
  return {
    running: () => child.running,
    pid: () => child.pid,
    stop: () => child.stop(),
    start: async () => {
      child.start();
      await waitReady();
    },
  };
}

/** A server from idp/, im/ or dispatcher/: restartable when it is a child process whose health URL we know. */
function peerSwitch(name: string, server: PeerServer, healthUrl: string | undefined, ca: Ca): ServerSwitch {
  const child = server.process;
  if (child !== undefined) {
    const ready =
      healthUrl === undefined
        ? () => Promise.resolve()
        : () => waitHealthy(healthUrl, { ca: ca.certPem }, { timeoutMs: 30_000, process: child });
    return processSwitch(child, ready);
  }
  let running = true;
  return {
    running: () => running,
    pid: () => undefined,
    stop: async () => {
      await server.stop();
      running = false;
    },
    start: () => Promise.reject(new Error(`${name} cannot be restarted from here; restart the test bed`)),
  };
}

/** Stops in reverse start order, then makes sure no process of the bed is left. */
async function teardown(stack: StopStack, dir: string, envFile: string | undefined, files: 'remove' | 'keep-logs'): Promise<void> {
  try {
    await stack.unwind();
  } finally {
    await clearBed(dir);
    if (envFile !== undefined) await rm(envFile, { force: true });
    if (process.env.AFP_TESTBED_KEEP !== '1') await removeBedFiles(dir, files);
  }
}

function killGroupNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** AFP_TESTBED_KEEP=1 keeps everything (etcd data, certificates) for a post-mortem. */
async function removeBedFiles(dir: string, files: 'remove' | 'keep-logs'): Promise<void> {
  if (files === 'remove') {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  for (const entry of await readdir(dir)) {
    if (entry !== 'logs' && entry !== 'owner.json') await rm(join(dir, entry), { recursive: true, force: true });
  }
}

class StopStack {
  private readonly entries: { name: string; stop: () => Promise<void> }[] = [];

  push(name: string, stop: () => Promise<void>): void {
    this.entries.push({ name, stop });
  }

  async unwind(): Promise<void> {
    const failures: string[] = [];
    while (this.entries.length > 0) {
      const entry = this.entries.pop()!;
      try {
        await entry.stop();
      } catch (error) {
        failures.push(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`stopping the test bed: ${failures.join('; ')}`);
  }
}
