import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../main/cli';
import { profileText, tempFolder, type TempFolder } from '../site/profile-fixture';

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
  });
  return { code, stdout, stderr };
}

interface Doc {
  kind: string;
  metadata: { name: string };
  spec?: { replicas?: number; rules?: { host: string }[] };
}

const docs = (text: string): Doc[] => parseAllDocuments(text).map((doc) => doc.toJS() as Doc);

const PROFILE = profileText(
  'Lab Site',
  `templates:
  folders: [site-templates]
  defaults:
    dask:
      workers: 5
  presets:
    dask:
      - { name: medium, values: { workers: 6, workerCpu: "2", workerMemory: 2Gi } }
      - { name: large, values: { workers: 12, workerCpu: "4", workerMemory: 2Gi } }
  locked:
    dask:
      workerMemory:
        value: 2Gi
        reason: Workers share a 16 GB node with the scheduler.
links:
  ingressDomain: lab.example.org
`,
);

let folder: TempFolder;
let configDir: string;
const savedEnv = { profile: process.env.AFP_PROFILE, config: process.env.AFP_CONFIG_DIR };

before(async () => {
  folder = await tempFolder();
  await folder.write('site.yaml', PROFILE);
  await folder.write('other.yaml', profileText('Other Site', 'templates:\n  defaults:\n    dask:\n      workers: 9\n'));
  // A site template that replaces the built-in minio by name.
  const builtin = await readFile(path.resolve('templates/minio.yaml'), 'utf8');
  await folder.write('site-templates/minio.yaml', builtin.replace(/^(\s*title:).*$/m, '$1 Site MinIO'));
  configDir = await mkdtemp(path.join(tmpdir(), 'afp-cli-config-'));
  process.env.AFP_CONFIG_DIR = configDir;
  delete process.env.AFP_PROFILE;
});

after(async () => {
  if (savedEnv.profile === undefined) delete process.env.AFP_PROFILE;
  else process.env.AFP_PROFILE = savedEnv.profile;
  if (savedEnv.config === undefined) delete process.env.AFP_CONFIG_DIR;
  else process.env.AFP_CONFIG_DIR = savedEnv.config;
  await folder.remove();
  await rm(configDir, { recursive: true, force: true });
});

describe('afp export and deploy with a site profile', () => {
  it("export --profile renders with the site's defaults", async () => {
    const result = await run(['export', 'dask', '--profile', 'site.yaml'], folder.dir);
    assert.equal(result.code, 0, result.stderr);
    const worker = docs(result.stdout).find((doc) => doc.kind === 'Deployment' && doc.metadata.name === 'worker');
    assert.equal(worker?.spec?.replicas, 5, 'the profile default of 5 workers');
    const plain = await run(['export', 'dask'], folder.dir);
    assert.notEqual(
      docs(plain.stdout).find((doc) => doc.metadata.name === 'worker')?.spec?.replicas,
      5,
      'without a profile, the template default',
    );
  });

  it('AFP_PROFILE is used when --profile is not given, and --profile wins over it', async () => {
    process.env.AFP_PROFILE = path.join(folder.dir, 'other.yaml');
    try {
      const fromEnv = await run(['export', 'dask'], folder.dir);
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
      assert.equal(docs(fromEnv.stdout).find((doc) => doc.metadata.name === 'worker')?.spec?.replicas, 9);
      const flag = await run(['export', 'dask', '--profile', 'site.yaml'], folder.dir);
      assert.equal(docs(flag.stdout).find((doc) => doc.metadata.name === 'worker')?.spec?.replicas, 5);
      process.env.AFP_PROFILE = path.join(folder.dir, 'missing.yaml');
      const missing = await run(['export', 'dask'], folder.dir);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /missing\.yaml: profile file not found \[profile from the AFP_PROFILE environment variable\]/);
    } finally {
      delete process.env.AFP_PROFILE;
    }
  });

  it("a site template folder replaces a built-in of the same name (afp templates shows it as the site's)", async () => {
    const list = await run(['templates', '--profile', 'site.yaml', '--json'], folder.dir);
    assert.equal(list.code, 0, list.stderr);
    const minio = (JSON.parse(list.stdout) as { templates: { name: string; title: string; origin: string }[] }).templates.find(
      (t) => t.name === 'minio',
    );
    assert.deepEqual({ title: minio?.title, origin: minio?.origin }, { title: 'Site MinIO', origin: 'site' });
  });

  it('a locked parameter given with --set is refused, naming the profile file, the line of the lock and the reason; nothing is written', async () => {
    const result = await run(['export', 'dask', '--profile', 'site.yaml', '--set', 'workerMemory=8Gi', '-o', 'out'], folder.dir);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^error: workerMemory: cannot be changed: the site profile "Lab Site" \(site\.yaml\) locks it to 2Gi\. Reason: Workers share a 16 GB node with the scheduler\. \(given with --set; locked in site\.yaml:\d+\)/,
    );
    assert.equal(result.stdout, '');
    // The same value written differently is not a change.
    const same = await run(['export', 'dask', '--profile', 'site.yaml', '--set', 'workerMemory=2048Mi'], folder.dir);
    assert.equal(same.code, 0, same.stderr);
  });

  it('a locked parameter in a values file is refused with the file and line of the value', async () => {
    await folder.write('values.yaml', 'workers: 3\nworkerMemory: 4Gi\n');
    const result = await run(['export', 'dask', '--profile', 'site.yaml', '--values', 'values.yaml'], folder.dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^error: values\.yaml:2: workerMemory: cannot be changed: .*Reason: Workers share/);
  });

  it('deploy refuses a locked value before anything is recorded or contacted', async () => {
    const result = await run(
      ['deploy', 'dask', '--profile', 'site.yaml', '--set', 'workerMemory=8Gi', '--kubeconfig', 'no-such-kubeconfig'],
      folder.dir,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot be changed: the site profile "Lab Site"/);
    assert.doesNotMatch(result.stderr, /kubeconfig/i, 'the lock is checked before the kubeconfig is read');
    const list = await run(['list', '--json'], folder.dir);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  it('deploy --target im needs a profile that names IM, and a sign-in', async () => {
    const noIm = await run(['deploy', 'minio', '--profile', 'site.yaml', '--target', 'im'], folder.dir);
    assert.equal(noIm.code, 1);
    assert.match(noIm.stderr, /The site profile "Lab Site" offers no IM target \(targets\.im is not set\)/);
    await folder.write('im.yaml', profileText('IM Site', 'targets:\n  im:\n    url: http://127.0.0.1:9/im\n'));
    const signedOut = await run(['deploy', 'minio', '--profile', 'im.yaml', '--target', 'im'], folder.dir);
    assert.equal(signedOut.code, 1);
    assert.match(
      signedOut.stderr,
      /Not signed in: the Infrastructure Manager \(IM\) acts with your sign-in, so sign in first \(the account menu in the app, or afp login\)/,
    );
    const usage = await run(['deploy', 'minio', '--target', 'im', '--context', 'x'], folder.dir);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--kubeconfig and --context go with --target kube, not im/);
    const bad = await run(['deploy', 'minio', '--target', 'helm'], folder.dir);
    assert.equal(bad.code, 2);
    const list = await run(['list', '--json'], folder.dir);
    assert.deepEqual(JSON.parse(list.stdout), [], 'nothing recorded for refused deploys');
  });

  it('afp logs refuses a Kubernetes-less lookup plainly', async () => {
    const result = await run(['logs', 'nothing-here'], folder.dir);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /No environment named "nothing-here"/);
  });
});
