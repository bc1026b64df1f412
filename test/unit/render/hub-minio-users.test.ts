/**
 * The analysis facility's users get MinIO keys of their own, never the root
 * keys: the rendered jupyterhub_config.py is run by Python with stand-ins for
 * JupyterHub's config object and for the `minio` package's admin client
 * (recording what the hook asks of MinIO, answering as a test scenario says),
 * and its pre-spawn hook is called as KubeSpawner calls it. On real MinIO and
 * real nodes: test/integration/journey/cli.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { renderPlan } from '../../../main/render/plan';
import { builtin } from '../catalogue/fixtures';

const ROOT = { user: 'rootuser', password: 'rootpasswordrootpasswordrootpassword1234' };

/** One spawn: who, how MinIO answers each admin call (in order; the last repeats), and the root password the hub holds. */
interface Scenario {
  user: string;
  answers: ('ok' | 'unreachable' | 'refused')[];
  rootPassword?: string;
  /** The hub's image without the minio package (z2jh's own image). */
  withoutMinio?: boolean;
}

interface Outcome {
  environment: Record<string, unknown>;
  error?: string;
  calls: [method: string, ...args: string[]][];
  clients: { endpoint: string; secure: boolean; access: string; secret: string }[];
  /** Seconds of the fake clock the spawn waited. */
  waited: number;
}

// For each scenario: a fresh run of the config (a hub start), then its pre_spawn_hook on a stand-in spawner.
const RUN = `
import asyncio, json, os, sys, time, types

class Section(dict):
    def __getattr__(self, name):
        return self.setdefault(name, None)
    def __setattr__(self, name, value):
        self[name] = value
class Config(dict):
    def __getattr__(self, name):
        return self.setdefault(name, Section())

class MinioAdminException(Exception):
    def __init__(self, code, body):
        self._code = code
        super().__init__(f"admin request failed; Status: {code}, Body: {body}")

state = {}
class MinioAdmin:
    def __init__(self, *, endpoint, credentials, secure=True, http_client=None, region=""):
        state["clients"].append({"endpoint": endpoint, "secure": secure, "access": credentials.access, "secret": credentials.secret})
    def _answer(self, *call):
        state["calls"].append(list(call))
        answers = state["answers"]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer == "unreachable":
            raise ConnectionRefusedError(111, "Connection refused")
        if answer == "refused":
            raise MinioAdminException("403", "The Access Key Id you provided does not exist in our records.")
        return "{}"
    def user_add(self, access_key, secret_key):
        return self._answer("user_add", access_key, secret_key)
    def policy_set(self, policy_name, user=None, group=None):
        return self._answer("policy_set", policy_name, user)

class StaticProvider:
    def __init__(self, access, secret):
        self.access, self.secret = access, secret

minio = types.ModuleType("minio")
minio.MinioAdmin = MinioAdmin
credentials = types.ModuleType("minio.credentials")
credentials.StaticProvider = StaticProvider
error = types.ModuleType("minio.error")
error.MinioAdminException = MinioAdminException
urllib3 = types.ModuleType("urllib3")
urllib3.PoolManager = lambda **kwargs: None
urllib3.Timeout = lambda **kwargs: None
sys.modules.update({"minio": minio, "minio.credentials": credentials, "minio.error": error, "urllib3": urllib3})

# A clock that moves only when the hook sleeps, so waiting 30 s takes no time.
clock = [1000.0]
time.monotonic = lambda: clock[0]
time.sleep = lambda seconds: clock.__setitem__(0, clock[0] + seconds)

source, scenarios, root = json.load(sys.stdin)
results = []
for scenario in scenarios:
    os.environ.update({"POD_NAMESPACE": "ns", "AFP_HUB_CONNECT_URL": "http://hub:8081", "AFP_PROXY_API_URL": "http://proxy-api:8001",
        "AFP_HUB_PASSWORD": "pw", "AFP_DASK_SCHEDULER_ADDRESS": "tcp://scheduler:8786", "AFP_MINIO_ENDPOINT": "http://minio:9000",
        "AFP_MINIO_ROOT_USER": root["user"], "AFP_MINIO_ROOT_PASSWORD": scenario.get("rootPassword", root["password"])})
    state.update(calls=[], clients=[], answers=list(scenario["answers"]))
    sys.modules["minio"] = None if scenario.get("withoutMinio") else minio
    c = Config()
    exec(compile(source, "jupyterhub_config.py", "exec"), {"get_config": lambda: c})
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(name=scenario["user"]), environment=dict(c.KubeSpawner.environment))
    began = clock[0]
    failure = None
    try:
        asyncio.run(c.KubeSpawner.pre_spawn_hook(spawner))
    except Exception as problem:
        failure = str(problem)
    outcome = {"environment": spawner.environment, "calls": state["calls"], "clients": state["clients"], "waited": clock[0] - began}
    if failure is not None:
        outcome["error"] = failure
    results.append(outcome)
print(json.dumps(results))
`;

function hubConfigText(): string {
  const plan = renderPlan({ template: builtin('analysis-facility'), environment: { name: 'lab' }, owner: 'alice' });
  const files = plan.objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'hub-files');
  const text = (files?.data as Record<string, string> | undefined)?.['jupyterhub_config.py'];
  assert.ok(text !== undefined, 'the analysis facility renders a jupyterhub_config.py');
  return text;
}

function spawn(...scenarios: Scenario[]): Outcome[] {
  const input = JSON.stringify([hubConfigText(), scenarios, ROOT]);
  return JSON.parse(execFileSync('python3', ['-c', RUN], { input, encoding: 'utf8' })) as Outcome[];
}

const KEY_VARIABLES = ['MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

describe("the analysis facility's users get MinIO keys of their own", () => {
  it('the hub makes a MinIO user with the readwrite policy and gives the server its keys, never the root ones', () => {
    const [alice] = spawn({ user: 'alice', answers: ['ok'] });
    assert.ok(alice !== undefined && alice.error === undefined, alice?.error);
    const env = alice.environment;
    assert.equal(env.AWS_ACCESS_KEY_ID, 'hub-alice');
    assert.equal(env.MINIO_ACCESS_KEY, 'hub-alice');
    assert.match(String(env.AWS_SECRET_ACCESS_KEY), /^[0-9a-f]{40}$/);
    assert.equal(env.MINIO_SECRET_KEY, env.AWS_SECRET_ACCESS_KEY);
    assert.equal(env.AWS_ENDPOINT_URL, 'http://minio:9000');
    assert.equal(env.DASK_SCHEDULER_ADDRESS, 'tcp://scheduler:8786');
    const given = JSON.stringify(env);
    assert.ok(!given.includes(ROOT.user) && !given.includes(ROOT.password), `no root key reaches the server: ${given}`);
    assert.doesNotMatch(given, /minio-root|secretKeyRef/, 'nor a reference to the root Secret');
    assert.deepEqual(alice.calls, [
      ['user_add', 'hub-alice', String(env.AWS_SECRET_ACCESS_KEY)],
      ['policy_set', 'readwrite', 'hub-alice'],
    ]);
    assert.deepEqual(alice.clients, [{ endpoint: 'minio:9000', secure: false, access: ROOT.user, secret: ROOT.password }]);
  });

  it('the same user gets the same keys after a hub restart, another user others, and a new root password new ones', () => {
    const [first, again, bob, rotated] = spawn(
      { user: 'alice', answers: ['ok'] },
      { user: 'alice', answers: ['ok'] },
      { user: 'bob', answers: ['ok'] },
      { user: 'alice', answers: ['ok'], rootPassword: 'another-root-password-of-forty-chars-xx' },
    );
    const secret = (outcome: Outcome | undefined): unknown => outcome?.environment.AWS_SECRET_ACCESS_KEY;
    assert.equal(secret(again), secret(first));
    assert.equal(bob?.environment.AWS_ACCESS_KEY_ID, 'hub-bob');
    assert.notEqual(secret(bob), secret(first));
    assert.notEqual(secret(rotated), secret(first));
  });

  it('a hub user name MinIO might refuse as an access key is replaced by its hash', () => {
    const [odd] = spawn({ user: 'a name/with=odd,chars', answers: ['ok'] });
    assert.match(String(odd?.environment.AWS_ACCESS_KEY_ID), /^hub-[0-9a-f]{32}$/);
  });

  it('MinIO not answering yet: the spawn waits for it, then goes on', () => {
    const [late] = spawn({ user: 'alice', answers: ['unreachable', 'unreachable', 'ok'] });
    assert.equal(late?.error, undefined);
    assert.equal(late?.environment.AWS_ACCESS_KEY_ID, 'hub-alice');
    assert.equal(late?.calls.filter(([method]) => method === 'user_add').length, 3);
    assert.equal(late?.waited, 4, 'two pauses of 2 s');
  });

  it('MinIO not answering for 30 s: the spawn fails with a message the user can act on, and no keys', () => {
    const [down] = spawn({ user: 'alice', answers: ['unreachable'] });
    assert.match(
      down?.error ?? 'no error',
      /^Your server was not started: the environment's object storage \(MinIO at minio:9000\) did not answer within 30 s while the hub set up your storage credentials \(.*Connection refused\)\. Try again in a minute/,
    );
    assert.ok((down?.waited ?? 0) >= 30 && (down?.waited ?? 0) <= 32, `waited ${down?.waited} s`);
    for (const name of KEY_VARIABLES) assert.equal(down?.environment[name], undefined, `${name} not set`);
  });

  it('a hub image without the minio package: the spawn fails naming the package, and the server gets no root keys instead', () => {
    const [missing] = spawn({ user: 'alice', answers: ['ok'], withoutMinio: true });
    assert.match(
      missing?.error ?? 'no error',
      /^Your server was not started: the hub's image lacks the Python package minio \(7\.2 or later\)/,
    );
    for (const name of KEY_VARIABLES) assert.equal(missing?.environment[name], undefined, `${name} not set`);
  });

  it('MinIO refusing the root key: the spawn fails at once, saying so', () => {
    const [refused] = spawn({ user: 'alice', answers: ['refused'] });
    assert.match(
      refused?.error ?? 'no error',
      /\(MinIO at minio:9000\) refused the hub's request while the hub set up your storage credentials .*Status: 403/,
    );
    assert.equal(refused?.waited, 0);
  });
});
