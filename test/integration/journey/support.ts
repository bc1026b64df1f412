/**
 * What the physicist's journey tests (CLI, GUI, bench) share: a bed of real
 * container nodes only, the analysis facility sized to fit them, the hub's
 * owner credential, and the Python a physicist runs in the notebook.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { NETWORK_POLICY_VARIABLE, startTestbed } from '../../testbed/index';
import { ENV_VARIABLE, readEnv } from '../../testbed/env';
import { hubSignIn, type HubSession, type IdpSignIn } from '../../support/jupyter';
import { kubectl, kubectlJson, kubectlOk, testbedEnv } from '../../support/testbed';
import { afp } from '../../support/afp';
import { portForward } from '../realnode/real-node';
import { caFetch } from '../../testbed/idp/ca-fetch';
import { signInWithForms } from '../../testbed/idp/form-sign-in';

export interface JourneyBed {
  envFile: string;
  /** Milliseconds the bed took to start (0 when an existing one was reused). */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * A bed whose only nodes are ≥ 2 untainted real ones: the one AFP_TESTBED_ENV
 * names when it is shaped so (`npm run testbed -- up --real-nodes 2 --no-kwok-nodes`),
 * else one of our own, started here and stopped by stop(). AFP_TESTBED_ENV then names it.
 */
export async function journeyBed(): Promise<JourneyBed> {
  const given = process.env[ENV_VARIABLE];
  if (given !== undefined && fits(given)) return { envFile: given, startMs: 0, stop: () => Promise.resolve() };
  const began = Date.now();
  const bed = await startTestbed({
    realNodes: 2,
    kwokNodes: false,
    im: false,
    dispatcher: false,
    // Without kube-router on request, as the shared bed (to compare, or to see a denial test fail).
    ...(process.env[NETWORK_POLICY_VARIABLE] === '0' ? { networkPolicy: false } : {}),
  });
  process.env[ENV_VARIABLE] = bed.envFile;
  return { envFile: bed.envFile, startMs: Date.now() - began, stop: () => bed.stop() };
}

function fits(envFile: string): boolean {
  try {
    readFileSync(envFile);
    const real = readEnv(envFile).realNodes;
    return real !== undefined && real.names.length >= 2 && real.taint === undefined;
  } catch {
    return false;
  }
}

/**
 * The analysis facility sized for two real nodes of 2 CPUs each on this VM:
 * hub 500m + proxy 200m + scheduler 500m + MinIO 250m (the template's fixed
 * requests) + one user and one worker of 250m = 1.95 CPU; 2.2 with 2 workers.
 */
export const JOURNEY_VALUES: Record<string, string> = {
  users: '1',
  userCpu: '250m',
  userMemory: '1Gi',
  userStorage: '1Gi',
  workers: '1',
  workerCpu: '250m',
  workerMemory: '1Gi',
  storage: '1Gi',
};

/**
 * The hub's owner (its admin, the one user it admits without a site identity
 * provider), as rendered into its jupyterhub_config.py: the signed-in user
 * when the app deployed it signed in, else the kubeconfig's user.
 */
export async function hubOwner(namespace: string): Promise<string> {
  const files = await kubectlJson<{ data?: Record<string, string> }>(['get', 'configmap', 'hub-files', '-n', namespace]);
  const owner = Object.values(files.data ?? {})
    .map((text) => /^owner = "([^"]+)"$/m.exec(text)?.[1])
    .find((name) => name !== undefined);
  if (owner === undefined) throw new Error(`no owner = "…" line in ${namespace}'s jupyterhub_config.py`);
  return owner;
}

/** The owner's generated password, from Secret hub. */
export async function hubPassword(namespace: string): Promise<string> {
  const encoded = await kubectlOk(['get', 'secret', 'hub', '-n', namespace, '-o', 'jsonpath={.data.password}']);
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** Signs the owner in on the hub's login form; a refusal carries the end of the hub's log, which says why. */
export async function signInOwner(base: string, namespace: string): Promise<HubSession> {
  try {
    return await hubSignIn(base, await hubOwner(namespace), await hubPassword(namespace));
  } catch (error) {
    const log = await kubectl(['logs', '-n', namespace, 'deployment/hub', '--tail', '25']);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nhub log:\n${log.stdout}${log.stderr}`);
  }
}

/** A 1×1 PNG: the profile asks for a logo. */
const LOGO = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Writes, in `dir`, a site profile whose hubs sign users in with the bed's IdP (its client for hubs, its CA); returns its path. */
export function hubLoginProfile(dir: string): string {
  const env = testbedEnv();
  if (env.idp?.hubClient === undefined || env.realNodes?.idpUrl === undefined) throw new Error('the bed has no IdP that pods reach');
  const profile = path.join(dir, 'site.yaml');
  writeFileSync(
    profile,
    stringify({
      apiVersion: 'afp.dev/v1',
      kind: 'SiteProfile',
      site: { name: 'Test bed', logo: LOGO },
      hubLogin: {
        // The IdP as the hub's pod reaches it; its discovery there lists the endpoints there, which the browser (this test, on the host) reaches too.
        issuer: env.realNodes.idpUrl,
        clientId: env.idp.hubClient.id,
        clientSecret: env.idp.hubClient.secret,
        caCertificate: readFileSync(env.caPath, 'utf8'),
      },
    }),
  );
  return profile;
}

/** An environment with a hub that signs users in through the bed's IdP, deployed with afp and reached through a port-forward. */
export interface IdpHub {
  name: string;
  /** The hub's proxy as the browser (this test, on the host) reaches it. */
  base: string;
  stop(): Promise<void>;
}

/**
 * Deploys `template` with `values` under a site profile whose hubs sign in with the bed's IdP (hubLoginProfile),
 * in a config folder of its own; stop() removes the namespace and the folder and puts AFP_CONFIG_DIR back.
 */
export async function deployIdpHub(prefix: string, template: string, values: Record<string, string>): Promise<IdpHub> {
  const previous = process.env.AFP_CONFIG_DIR;
  const name = `${prefix}-${Date.now().toString(36)}`;
  const config = mkdtempSync(path.join(os.tmpdir(), `afp-${prefix}-`));
  process.env.AFP_CONFIG_DIR = config;
  const cleanUp = async (): Promise<void> => {
    await kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']).catch(() => undefined);
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
  };
  const sets = Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const profile = hubLoginProfile(config);
  const deploy = ['deploy', template, ...sets, '--profile', profile, '--kubeconfig', testbedEnv().adminKubeconfig, '--name', name];
  const deployed = await afp([...deploy, '--wait', '--timeout', '600s']);
  if (deployed.code !== 0) await cleanUp();
  assert.equal(deployed.code, 0, deployed.stderr);
  const forward = await portForward(name, 'service/proxy-public', 80);
  const stop = async (): Promise<void> => {
    forward.stop();
    await cleanUp();
  };
  return { name, base: `http://127.0.0.1:${forward.port}`, stop };
}

/** Fills the bed IdP's login form as `username` would (for hubSignInThroughIdp). */
export function signInAs(username: string): IdpSignIn {
  const person = testbedEnv().idp!.users.find((user) => user.username === username)!;
  const fetch = caFetch(readFileSync(testbedEnv().caPath, 'utf8'));
  return (authorizeUrl: string) => signInWithForms(authorizeUrl, person, fetch);
}

/**
 * A physicist's first cell: Dask from the environment (DASK_SCHEDULER_ADDRESS),
 * a computation on the workers, an object written to MinIO with the
 * environment's credentials and read back. Prints one JSON line.
 */
export const SCIENCE = `
import json, os, socket
import boto3
from dask.distributed import Client

client = Client(os.environ["DASK_SCHEDULER_ADDRESS"], timeout="60s")
client.wait_for_workers(1, timeout=120)
squares = client.map(lambda x: x * x, range(1000))
total = client.submit(sum, squares).result()
ran_on = sorted(set(client.run(lambda: socket.gethostname()).values()))
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
s3.create_bucket(Bucket="journey")
s3.put_object(Bucket="journey", Key="result.json", Body=json.dumps({"total": total}).encode())
back = json.loads(s3.get_object(Bucket="journey", Key="result.json")["Body"].read())
print(json.dumps({"total": total, "workers": ran_on, "readBack": back, "notebook": socket.gethostname()}))
client.close()
`;

/**
 * What the server's storage keys may do (issue 19): its own bucket and object,
 * and one call of MinIO's admin API (list users), signed with SigV4 by botocore
 * as MinIO's own client signs it. Prints one JSON line.
 */
export const OWN_KEYS = `
import json, os, urllib.error, urllib.request
import boto3
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint = os.environ["AWS_ENDPOINT_URL"]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
s3.create_bucket(Bucket="own-keys")
s3.put_object(Bucket="own-keys", Key="hello.txt", Body=b"hello")
read_back = s3.get_object(Bucket="own-keys", Key="hello.txt")["Body"].read().decode()
keys = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
request = AWSRequest(method="GET", url=endpoint + "/minio/admin/v3/list-users")
S3SigV4Auth(keys, "s3", "us-east-1").add_auth(request)
try:
    with urllib.request.urlopen(urllib.request.Request(request.url, headers=dict(request.headers)), timeout=30) as answer:
        admin = {"status": answer.status, "body": ""}
except urllib.error.HTTPError as error:
    admin = {"status": error.code, "body": error.read().decode(errors="replace")[:300]}
print(json.dumps({"accessKey": keys.access_key, "readBack": read_back, "admin": admin}))
`;

export interface OwnKeysResult {
  accessKey: string;
  readBack: string;
  admin: { status: number; body: string };
}

export interface ScienceResult {
  total: number;
  workers: string[];
  readBack: { total: number };
  notebook: string;
}

/** The sum of squares below 1000, as the workers should find it. */
export const EXPECTED_TOTAL = 332_833_500;

/** How many workers the scheduler lists, once `count` have joined. */
export const countWorkers = (count: number): string => `
import os
from dask.distributed import Client
client = Client(os.environ["DASK_SCHEDULER_ADDRESS"], timeout="60s")
client.wait_for_workers(${count}, timeout=180)
print(len(client.scheduler_info()["workers"]))
client.close()
`;
