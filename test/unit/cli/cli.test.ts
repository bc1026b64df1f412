import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../main/cli';
import { SMALL } from '../catalogue/fixtures';

async function run(argv: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string; cwd: string }> {
  const dir = cwd ?? (await mkdtemp(path.join(tmpdir(), 'afp-cli-')));
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: dir,
  });
  return { code, stdout, stderr, cwd: dir };
}

describe('afp', () => {
  it('without a command: usage on stderr, exit 2; --help: exit 0', async () => {
    const bare = await run([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: afp <command>/);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /export +Render a template/);
    assert.match(help.stdout, /validate/);
    assert.match(help.stdout, /templates/);
    assert.match(help.stdout, /credentials +Show the credentials an environment's owner needs/);
    const credentials = await run(['credentials', '--help']);
    assert.equal(credentials.code, 0);
    assert.match(credentials.stdout, /--json/);
    assert.match(credentials.stdout, /can read the Secrets of the environment's namespace/);
  });

  it('unknown command or option: exit 2', async () => {
    assert.equal((await run(['deploy-now'])).code, 2);
    const bad = await run(['export', 'dask', '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown option '--bogus'/);
    assert.equal((await run(['export'])).code, 2);
    assert.equal((await run(['export', 'dask', '--format', 'helm'])).code, 2);
    assert.equal((await run(['export', 'dask', '--set', 'workers'])).code, 2);
  });

  it('export --help lists every option', async () => {
    const help = await run(['export', '--help']);
    assert.equal(help.code, 0);
    for (const option of [
      '--values FILE',
      '--set NAME=VALUE',
      '--templates DIR',
      '--format kube|tosca',
      '-o, --output DIR|-',
      '--name ENV',
    ])
      assert.ok(help.stdout.includes(option), option);
  });

  it('export to stdout: one multi-document YAML in wave order, kubectl-ready', async () => {
    const result = await run(['export', 'dask', '--set', 'workers=7', '--set', 'workerMemory=3Gi']);
    assert.equal(result.code, 0, result.stderr);
    const documents = parseAllDocuments(result.stdout).map(
      (doc) => doc.toJS() as { kind: string; metadata: { name: string }; spec?: { replicas?: number } },
    );
    assert.deepEqual(
      documents.map((doc) => `${doc.kind}/${doc.metadata.name}`),
      [
        'Namespace/dask',
        'Secret/afp-applyset',
        'LimitRange/afp-limits',
        'NetworkPolicy/afp-same-namespace',
        'ResourceQuota/afp-quota',
        'Service/scheduler',
        'Deployment/scheduler',
        'Deployment/worker',
      ],
    );
    assert.equal(documents.find((doc) => doc.metadata.name === 'worker')?.spec?.replicas, 7);
  });

  it('export to a folder with a values file and a name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-cli-'));
    await writeFile(path.join(dir, 'v.yaml'), 'workers: 3\nworkerCpu: 2\n');
    const result = await run(['export', 'dask', '--values', 'v.yaml', '--set', 'workers=4', '--name', 'lab', '-o', 'out'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'wrote out/lab.yaml\n');
    const text = await readFile(path.join(dir, 'out', 'lab.yaml'), 'utf8');
    assert.match(text, /replicas: 4\n/);
    assert.match(text, /cpu: "2"/);
    assert.match(text, /namespace: lab\n/);
  });

  it('bad values: exit 1 with file, line and field; nothing written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-cli-'));
    await writeFile(path.join(dir, 'v.yaml'), 'workers: 3\nworkerMemory: 4 GB\n');
    const result = await run(['export', 'dask', '--values', 'v.yaml', '-o', 'out'], dir);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'error: v.yaml:2: workerMemory: expected a memory quantity such as 4Gi, 512Mi or 4G, got "4 GB"\n');
    assert.deepEqual(await readdir(dir), ['v.yaml']);
    const typo = await run(['export', 'dask', '--set', 'wrkers=3']);
    assert.equal(typo.code, 1);
    assert.equal(typo.stderr, 'error: wrkers: unknown parameter "wrkers" (dask has workers, workerCpu, workerMemory)\n');
    const type = await run(['export', 'dask', '--set', 'workers=ten']);
    assert.equal(type.stderr, 'error: workers: expected integer, got "ten"\n');
  });

  it('unknown template: exit 1, listing the known ones', async () => {
    const result = await run(['export', 'jupyter']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'error: template: unknown template "jupyter" (known: analysis-facility, dask, jupyterhub, minio)\n');
  });

  it('export --format tosca: written when the check allows it, with its notes', async () => {
    const ok = await run(['export', 'minio', '--format', 'tosca', '-o', 'out']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /^note: Deployment minio: /m);
    assert.match(await readFile(path.join(ok.cwd, 'out', 'minio.tosca.yaml'), 'utf8'), /tosca_definitions_version: tosca_simple_yaml_1_0/);
  });

  it('export --format tosca: Dask and the analysis facility are written in their IM shape (Dask over TLS, a JupyterLab per user)', async () => {
    const dask = await run(['export', 'dask', '--format', 'tosca', '-o', '-']);
    assert.equal(dask.code, 0, dask.stderr);
    assert.match(dask.stdout, /- --protocol=tls\n/);
    const af = await run(['export', 'analysis-facility', '--format', 'tosca', '--set', 'hubUsers=bob', '-o', 'out']);
    assert.equal(af.code, 0, af.stderr);
    const tosca = await readFile(path.join(af.cwd, 'out', 'analysis-facility.tosca.yaml'), 'utf8');
    assert.match(tosca, /^ {4}lab-bob:$/m);
    // (The hub's image is there, for minio-users, which makes the labs' MinIO users with minio-py.)
    assert.doesNotMatch(tosca, /^ {4}(hub|proxy):$/m, 'no hub through IM');
    assert.match(af.stderr, /^note: Deployment lab-bob: .*JUPYTER_TOKEN.* generated secret value written into the TOSCA document/m);
  });

  it('export --format tosca: refused with the reasons, nothing written, exit 1', async () => {
    const refused = await run(['export', 'jupyterhub', '--format', 'tosca', '-o', 'out']);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^refused: ServiceAccount hub: JupyterHub's KubeSpawner needs a ServiceAccount, Role and RoleBinding to start each user's server, which IM's Kubernetes connector cannot create$/m,
    );
    assert.deepEqual(await readdir(refused.cwd), []);
  });

  it('--secrets keeps generated secrets between exports (file mode 0600)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-cli-'));
    const first = await run(['export', 'minio', '--secrets', 's.yaml'], dir);
    const second = await run(['export', 'minio', '--secrets', 's.yaml'], dir);
    assert.equal(first.code, 0);
    assert.equal(first.stdout, second.stdout);
    assert.equal((await stat(path.join(dir, 's.yaml'))).mode & 0o777, 0o600);
  });

  it('a template given by path, and --templates folders', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-cli-'));
    await writeFile(path.join(dir, 'small.yaml'), SMALL);
    const byPath = await run(['export', './small.yaml'], dir);
    assert.equal(byPath.code, 0, byPath.stderr);
    const listed = await run(['templates', '--templates', '.'], dir);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^small +1\.0\.0 +site +tiny +Small$/m);
  });

  it('validate: ok lines and exit 0 for good files; every problem and exit 1 otherwise', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'afp-cli-'));
    await writeFile(path.join(dir, 'good.yaml'), SMALL);
    await writeFile(
      path.join(dir, 'bad.yaml'),
      SMALL.replace('    max: 10\n', '    max: ten\n').replace('dependsOn: [scheduler]', 'dependsOn: [scheduler]\n    bogus: 1'),
    );
    await writeFile(path.join(dir, 'other.yaml'), 'kind: Widget\n');
    const good = await run(['validate', 'good.yaml'], dir);
    assert.equal(good.code, 0);
    assert.equal(good.stdout, 'ok: good.yaml: template small 1.0.0: 2 parameters, 1 preset, 2 components\n');
    const bad = await run(['validate', 'good.yaml', 'bad.yaml', 'other.yaml'], dir);
    assert.equal(bad.code, 1);
    const lines = bad.stderr.split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      'error: bad.yaml:12: parameters.workers.max: expected integer, got "ten"',
      'error: bad.yaml:35: components.worker.bogus: unknown field',
    ]);
    assert.match(lines[2] ?? '', /^error: other\.yaml:1: kind: kind "Widget" is not one afp validate knows \(.*Template.*\)$/);
    assert.equal(lines.length, 4);
  });

  it('validate accepts every built-in template', async () => {
    const root = path.resolve(import.meta.dirname, '../../../templates');
    const result = await run([
      'validate',
      ...['analysis-facility', 'dask', 'jupyterhub', 'minio'].map((name) => path.join(root, `${name}.yaml`)),
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').filter((line) => line.startsWith('ok: ')).length, 4);
  });

  it('templates --json lists parameters and presets', async () => {
    const result = await run(['templates', '--json']);
    assert.equal(result.code, 0);
    const json = JSON.parse(result.stdout) as {
      templates: { name: string; parameters: Record<string, { type: string }>; presets: { name: string }[] }[];
      errors: unknown[];
    };
    assert.deepEqual(json.errors, []);
    const dask = json.templates.find((template) => template.name === 'dask');
    assert.equal(dask?.parameters.workers?.type, 'integer');
    assert.deepEqual(
      dask?.presets.map((preset) => preset.name),
      ['small', 'medium', 'large'],
    );
  });
});
