/**
 * What the realnode tests share: the gate (a bed without real nodes fails
 * these tests loudly, unless a developer turned the nodes off on purpose with
 * AFP_TESTBED_REAL_NODES=0, when they skip saying so), pods pinned to a real
 * node running the bed's busybox image, and waiting on their real status.
 */
import { spawn } from 'node:child_process';
import { testbedEnv, kubectlJson, kubectlOk, waitUntil } from '../../support/testbed';
import type { TestbedEnv } from '../../support/testbed';

export type RealNodesEnv = NonNullable<TestbedEnv['realNodes']>;

const SWITCH = 'AFP_TESTBED_REAL_NODES';

/** For describe()'s `skip`: a reason when a developer started the bed without real nodes on purpose, else false. */
export function skipWithoutRealNodes(): string | false {
  return process.env[SWITCH] === '0' && testbedEnv().realNodes === undefined
    ? `${SWITCH}=0: this bed has no real container nodes (test/testbed/README.md)`
    : false;
}

/** The bed's real nodes; throws, failing the test, when the bed has none. */
export function realNodes(): RealNodesEnv {
  const real = testbedEnv().realNodes;
  if (real === undefined || real.names.length === 0)
    throw new Error(
      `the test bed has no real container nodes, so nothing here runs for real. Start it with them (the default), ` +
        `or set ${SWITCH}=0 to skip these tests knowingly (test/testbed/README.md)`,
    );
  return real;
}

export interface RealPodOptions {
  name: string;
  /** Which real node (index into realNodes().names); default: any. */
  node?: number;
  command: string[];
  labels?: Record<string, string>;
  readinessProbe?: object;
  volumes?: object[];
  volumeMounts?: object[];
  securityContext?: object;
  /** The container's own (Pod Security "restricted" asks for some fields there). */
  containerSecurityContext?: object;
}

/** A pod of the bed's busybox image that lands on a real node (it tolerates their taint and selects their label). */
export function realPod(opts: RealPodOptions): object {
  const real = realNodes();
  const [key, value] = real.label.split('=') as [string, string];
  const nodeSelector: Record<string, string> = { [key]: value };
  if (opts.node !== undefined) nodeSelector['kubernetes.io/hostname'] = real.names[opts.node]!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: opts.name, labels: opts.labels ?? {} },
    spec: {
      nodeSelector,
      tolerations: real.taint === undefined ? [] : [{ key: real.taint.key, operator: 'Exists' }],
      terminationGracePeriodSeconds: 1,
      ...(opts.securityContext === undefined ? {} : { securityContext: opts.securityContext }),
      containers: [
        {
          name: 'main',
          image: real.busyboxImage,
          imagePullPolicy: 'Never',
          command: opts.command,
          ...(opts.readinessProbe === undefined ? {} : { readinessProbe: opts.readinessProbe }),
          ...(opts.volumeMounts === undefined ? {} : { volumeMounts: opts.volumeMounts }),
          ...(opts.containerSecurityContext === undefined ? {} : { securityContext: opts.containerSecurityContext }),
        },
      ],
      ...(opts.volumes === undefined ? {} : { volumes: opts.volumes }),
    },
  };
}

export async function apply(namespace: string, ...objects: object[]): Promise<void> {
  await kubectlOk(['apply', '-n', namespace, '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) });
}

export interface PodStatus {
  spec: { nodeName?: string };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: { ready: boolean; containerID?: string; started?: boolean; state?: Record<string, unknown> }[];
  };
}

export function pod(namespace: string, name: string): Promise<PodStatus> {
  return kubectlJson<PodStatus>(['get', 'pod', name, '-n', namespace]);
}

export function isReady(status: PodStatus): boolean {
  return status.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') === true;
}

export async function waitReady(namespace: string, name: string, timeoutMs = 90_000): Promise<PodStatus> {
  let last: PodStatus | undefined;
  await waitUntil(
    `pod ${namespace}/${name} to be Ready on a real node`,
    async () => {
      last = await pod(namespace, name);
      return isReady(last);
    },
    timeoutMs,
    250,
  );
  return last!;
}

/** `kubectl port-forward` to a free local port (on the shared bed, or the one `env` describes); resolves with that port once kubectl says it forwards. */
export function portForward(
  namespace: string,
  target: string,
  remotePort: number,
  env: TestbedEnv = testbedEnv(),
): Promise<{ port: number; output(): string; stop(): void }> {
  const child = spawn(env.kubectl, [`--kubeconfig=${env.adminKubeconfig}`, '-n', namespace, 'port-forward', target, `:${remotePort}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`kubectl port-forward ${target} said nothing useful within 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), output: () => output, stop: () => child.kill() });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward ${target} exited (${code}): ${output}`));
    });
  });
}
