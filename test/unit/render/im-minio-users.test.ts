/**
 * Through IM (no hub) each JupyterLab still gets MinIO keys of its own: the
 * TOSCA gives a lab only its own generated key and MinIO user name, MinIO's
 * root keys go to MinIO and the minio-users container alone, and that
 * container's script — run here by Python with a stand-in for minio-py's admin
 * client, recording what it asks of MinIO — makes each lab's user with the
 * readwrite policy, waits out a MinIO that is not up, and removes a lab user
 * the environment no longer has. On the real IM and real nodes:
 * test/integration/realnode/im-af.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderPlan } from '../../../main/render/plan';
import { renderTosca } from '../../../main/render/tosca/render-tosca';
import { secretId } from '../../../main/render/secrets';
import { builtin, fromText } from '../catalogue/fixtures';
import type { Plan } from '../../../main/render/types';
import { ProblemsError, problemsOf } from '../../../main/yaml/problems';
import { imFacilityPlan } from './im-facility';

type Node = {
  type: string;
  properties?: { environment?: Record<string, unknown>; command?: string[] };
  artifacts?: Record<string, { deploy_path?: string; file?: string; properties?: { content: string } }>;
};

function imFacility(): { plan: Plan; nodes: Record<string, Node> } {
  const plan = imFacilityPlan('bob Carol.Smith');
  const { yaml, check } = renderTosca(plan);
  assert.deepEqual(
    check.items.filter((item) => item.severity === 'refused'),
    [],
  );
  const nodes = (parse(yaml) as { topology_template: { node_templates: Record<string, Node> } }).topology_template.node_templates;
  return { plan, nodes };
}

const LABS = { 'lab-alice': 'alice', 'lab-bob': 'bob', 'lab-carol-smith': 'carol-smith' } as const;

/** The files IM will mount in a node, by path, as their containers read them (Secrets' base64 decoded). */
function filesOf(node: Node | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const artifact of Object.values(node?.artifacts ?? {})) {
    if (artifact.deploy_path === undefined || artifact.properties === undefined) continue;
    const { content } = artifact.properties;
    out[artifact.deploy_path] = artifact.deploy_path.endsWith('.py') ? content : Buffer.from(content, 'base64').toString('utf8');
  }
  return out;
}

describe('the IM shape of the analysis facility: MinIO keys per JupyterLab, never the root ones', () => {
  it("each lab gets its own MinIO user and key; no lab's node in the TOSCA holds a root key", () => {
    const { plan, nodes } = imFacility();
    const root = [plan.secretValues['minio-root.user'] ?? '', plan.secretValues['minio-root.password'] ?? ''];
    for (const key of root) assert.ok(key.length >= 16);
    const keys = new Set<string>();
    for (const [lab, label] of Object.entries(LABS)) {
      const env = nodes[lab]?.properties?.environment ?? {};
      assert.equal(env.AWS_ACCESS_KEY_ID, lab, `${lab}'s MinIO user is named after it`);
      assert.equal(env.MINIO_ACCESS_KEY, lab);
      const own = plan.secretValues[secretId('lab-storage', label)];
      assert.match(own ?? '', /^[A-Za-z0-9]{40}$/, 'a generated key of 40 characters');
      assert.equal(env.AWS_SECRET_ACCESS_KEY, own);
      assert.equal(env.MINIO_SECRET_KEY, own);
      keys.add(own ?? '');
      const text = JSON.stringify(nodes[lab]);
      for (const key of root) assert.ok(!text.includes(key), `${lab} holds no root key`);
      for (const other of Object.values(LABS).filter((l) => l !== label))
        assert.ok(!text.includes(plan.secretValues[secretId('lab-storage', other)] ?? '-'), `${lab} holds no other lab's key`);
    }
    assert.equal(keys.size, 3, 'a key per user');

    const holders = Object.keys(nodes).filter((node) => root.some((key) => JSON.stringify(nodes[node]).includes(key)));
    assert.deepEqual(holders.sort(), ['minio', 'minio-users'], 'only MinIO and the container that makes the users hold the root keys');
  });

  it('minio-users gets every lab key as a file named after the lab, and the root keys; the owner can reveal each lab key', () => {
    const { plan, nodes } = imFacility();
    const users = nodes['minio-users'];
    assert.equal(users?.artifacts?.image?.file, 'quay.io/jupyterhub/k8s-hub:4.4.0', 'the hub image: Python with minio-py');
    const env = users?.properties?.environment ?? {};
    assert.equal(env.AFP_MINIO_ROOT_USER, plan.secretValues['minio-root.user']);
    assert.equal(env.AFP_MINIO_ROOT_PASSWORD, plan.secretValues['minio-root.password']);
    assert.deepEqual(env.AFP_MINIO_ENDPOINT, { concat: ['http://', { get_attribute: ['minio', 'endpoints', 0] }] });
    const files = filesOf(users);
    for (const [lab, label] of Object.entries(LABS))
      assert.equal(files[`/etc/afp/minio-users/${lab}`], plan.secretValues[secretId('lab-storage', label)], `${lab}'s key`);
    assert.deepEqual(
      plan.credentials.filter((c) => c.secret.name === 'lab-storage').map((c) => [c.title, c.component, c.username, c.secret.key]),
      [
        ['MinIO keys (alice)', 'lab-alice', 'lab-alice', 'alice'],
        ['MinIO keys (bob)', 'lab-bob', 'lab-bob', 'bob'],
        ['MinIO keys (Carol.Smith)', 'lab-carol-smith', 'lab-carol-smith', 'carol-smith'],
      ],
    );
  });

  it('the Kubernetes shape is unchanged: the hub makes the users, no minio-users container, no per-lab keys', () => {
    const plan = renderPlan({ template: builtin('analysis-facility'), environment: { name: 'af' }, owner: 'alice' });
    assert.ok(!plan.components.some((c) => c.name === 'minio-users'));
    assert.ok(!Object.keys(plan.secretValues).some((id) => id.startsWith('lab-storage')));
  });

  it('a template whose userKeys name a component it lacks is refused, at userServers', () => {
    const text = readFileSync(new URL('../../../templates/analysis-facility.yaml', import.meta.url), 'utf8').replace(
      'filesFor: { component: minio-users,',
      'filesFor: { component: no-such,',
    );
    assert.match(text, /component: no-such/);
    assert.throws(
      () => renderPlan({ template: fromText(text, 'af.yaml'), environment: { name: 'af' }, target: 'im', owner: 'alice' }),
      (error: unknown) => {
        assert.ok(error instanceof ProblemsError);
        const [problem] = problemsOf(error);
        assert.match(problem?.message ?? '', /filesFor names component "no-such", which the template does not define/);
        assert.equal(problem?.file, 'af.yaml');
        assert.ok((problem?.line ?? 0) > 0, 'with its line');
        return true;
      },
    );
  });

  it("a variable both the lab's env and userKeys set is refused, naming both, instead of one value silently winning", () => {
    const line = '        - { name: AWS_ENDPOINT_URL, component: { name: minio, port: api, scheme: http } }\n';
    const original = readFileSync(new URL('../../../templates/analysis-facility.yaml', import.meta.url), 'utf8');
    assert.ok(original.includes(line));
    const text = original.replace(line, `${line}        - { name: AWS_SECRET_ACCESS_KEY, value: left-from-an-older-version }\n`);
    assert.throws(
      () => renderPlan({ template: fromText(text, 'af.yaml'), environment: { name: 'af' }, target: 'im', owner: 'alice' }),
      (error: unknown) => {
        assert.ok(error instanceof ProblemsError);
        const [problem] = problemsOf(error);
        assert.match(
          problem?.message ?? '',
          /AWS_SECRET_ACCESS_KEY is set twice in each user's server: by userServers\.component\.env and by userServers\.userKeys lab-storage \(variables\)/,
        );
        assert.equal(problem?.file, 'af.yaml');
        assert.ok((problem?.line ?? 0) > 0, 'with its line');
        return true;
      },
    );
  });
});

// The script with stand-ins: minio-py's admin client answers as the scenario says (one answer per call, the last
// repeating), sleeping moves a fake clock, and the run ends after `passes` sleeps. Prints the calls as JSON.
const RUN = `
import http.server, json, os, sys, time, types

state = {"calls": [], "clients": []}
class MinioAdmin:
    def __init__(self, *, endpoint, credentials, secure=True, http_client=None, region=""):
        state["clients"].append({"endpoint": endpoint, "secure": secure, "access": credentials.access, "secret": credentials.secret})
    def _answer(self, *call):
        state["calls"].append(list(call))
        answers = state["answers"]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if answer == "unreachable":
            raise ConnectionRefusedError(111, "Connection refused")
    def user_add(self, access_key, secret_key):
        self._answer("user_add", access_key, secret_key)
        state["existing"].append(access_key)
    def policy_set(self, policy_name, user=None, group=None):
        self._answer("policy_set", policy_name, user)
    def user_list(self):
        self._answer("user_list")
        return json.dumps({name: {"status": "enabled"} for name in state["existing"]})
    def user_remove(self, access_key):
        self._answer("user_remove", access_key)
        state["existing"].remove(access_key)

class StaticProvider:
    def __init__(self, access, secret):
        self.access, self.secret = access, secret

minio = types.ModuleType("minio")
minio.MinioAdmin = MinioAdmin
credentials = types.ModuleType("minio.credentials")
credentials.StaticProvider = StaticProvider
urllib3 = types.ModuleType("urllib3")
urllib3.PoolManager = lambda **kwargs: None
urllib3.Timeout = lambda **kwargs: None
sys.modules.update({"minio": minio, "minio.credentials": credentials, "urllib3": urllib3})

class NoServer:
    def __init__(self, address, handler):
        state["health"] = address[1]
    def serve_forever(self):
        pass
http.server.ThreadingHTTPServer = NoServer

class Done(BaseException):
    pass
def sleep(seconds):
    state.setdefault("sleeps", []).append(seconds)
    if state["forget"]:
        state["existing"] = []  # MinIO lost its users (a new volume)
    if len(state["sleeps"]) >= state["passes"]:
        raise Done()
time.sleep = sleep

source, scenario = json.load(sys.stdin)
state.update(answers=scenario["answers"], existing=list(scenario["existing"]), passes=scenario["passes"], forget=scenario.get("forget", False))
try:
    exec(compile(source, "minio-users.py", "exec"), {"__name__": "__main__"})
except Done:
    pass
print(json.dumps(state))
`;

interface Run {
  calls: string[][];
  clients: { endpoint: string; secure: boolean; access: string; secret: string }[];
  sleeps: number[];
  health: number;
  /** What it printed (its container log). */
  log: string[];
}

/** Runs minio-users.py as IM would start it, with the lab key files the plan gives it. */
function runScript(scenario: { answers: string[]; existing: string[]; passes: number; forget?: boolean }): { run: Run; plan: Plan } {
  const plan = imFacilityPlan('bob');
  const component = plan.components.find((c) => c.name === 'minio-users');
  const script = component?.files?.find((file) => file.path.endsWith('.py'))?.content ?? '';
  assert.match(script, /MinioAdmin/);
  const dir = mkdtempSync(path.join(tmpdir(), 'afp-minio-users-'));
  try {
    for (const file of component?.files ?? []) {
      if (file.secret === undefined) continue;
      writeFileSync(path.join(dir, path.basename(file.path)), plan.secretValues[secretId(file.secret.name, file.secret.key)] ?? '');
    }
    const env = Object.fromEntries((component?.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, String(e.value)]));
    const output = execFileSync('python3', ['-c', RUN], {
      input: JSON.stringify([script, scenario]),
      encoding: 'utf8',
      env: {
        ...process.env,
        ...env,
        AFP_MINIO_USERS_DIR: dir,
        AFP_MINIO_ENDPOINT: 'http://minio-abc:9000',
        AFP_MINIO_ROOT_USER: 'rootuser',
        AFP_MINIO_ROOT_PASSWORD: 'rootpassword',
      },
    });
    const lines = output.trim().split('\n');
    return { run: { ...(JSON.parse(lines.pop() ?? '') as Run), log: lines }, plan };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("minio-users.py, the IM shape's maker of the labs' MinIO users", () => {
  it('makes each lab its MinIO user with its own key and the readwrite policy, as root, and makes them again each pass', () => {
    const { run, plan } = runScript({ answers: ['ok'], existing: [], passes: 2 });
    assert.deepEqual(run.clients, [{ endpoint: 'minio-abc:9000', secure: false, access: 'rootuser', secret: 'rootpassword' }]);
    const pass = [
      ['user_list'],
      ['user_add', 'lab-alice', plan.secretValues['lab-storage.alice'] ?? ''],
      ['policy_set', 'readwrite', 'lab-alice'],
      ['user_add', 'lab-bob', plan.secretValues['lab-storage.bob'] ?? ''],
      ['policy_set', 'readwrite', 'lab-bob'],
    ];
    assert.deepEqual(run.calls, [...pass, ...pass], 'made again each pass, the same key');
    assert.deepEqual(run.sleeps, [60, 60]);
    assert.equal(run.health, 8080, 'it answers on its port');
    assert.deepEqual(run.log, [
      'MinIO user lab-alice made, with the readwrite policy',
      'MinIO user lab-bob made, with the readwrite policy',
    ]);
  });

  it('a MinIO that lost its users (a new volume) has them again at the next pass, and says so', () => {
    const { run } = runScript({ answers: ['ok'], existing: [], passes: 2, forget: true });
    assert.deepEqual(run.log.slice(2), [
      'MinIO user lab-alice made again: MinIO had lost it',
      'MinIO user lab-bob made again: MinIO had lost it',
    ]);
    assert.equal(run.calls.filter((call) => call[0] === 'user_add').length, 4);
  });

  it('waits for a MinIO that does not answer yet, trying again every 3 s', () => {
    const { run } = runScript({ answers: ['unreachable', 'unreachable', 'ok'], existing: [], passes: 3 });
    assert.deepEqual(run.sleeps, [3, 3, 60]);
    assert.match(run.log[0] ?? '', /^MinIO at minio-abc:9000 cannot take its users yet: ConnectionRefusedError/);
    assert.deepEqual(
      run.calls.filter((call) => call[0] === 'policy_set').map((call) => call[2]),
      ['lab-alice', 'lab-bob'],
    );
  });

  it("removes a lab's user the environment no longer has, and no other MinIO user", () => {
    const { run } = runScript({ answers: ['ok'], existing: ['lab-alice', 'lab-bob', 'lab-carol', 'backup-robot'], passes: 1 });
    assert.deepEqual(
      run.calls.filter((call) => call[0] === 'user_remove'),
      [['user_remove', 'lab-carol']],
    );
  });
});
