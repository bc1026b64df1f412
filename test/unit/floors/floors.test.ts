/**
 * The floors rule (scripts/floors.ts) holds for main/, the picture in
 * docs/architecture.md is the one the imports draw today, and the rule does
 * fail: each breach is planted in a small tree of its own and must be named.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ARCHITECTURE_DOC, checkFloors, floorsPicture, placeOf, withPicture, type FloorsReport } from '../../../scripts/floors';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** A tree with the given files under <tmp>/main. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'afp-floors-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  made.push(root);
  return root;
}
const made: string[] = [];
after(() => made.forEach((root) => rmSync(root, { recursive: true, force: true })));

const rules = (report: FloorsReport): string[] => report.problems.map((problem) => `${problem.rule}: ${problem.from} → ${problem.to}`);

describe('floors', () => {
  it('main/ has no upward import and no loop, and the picture in docs/architecture.md is current (npm run floors)', async () => {
    const report = await checkFloors(ROOT);
    assert.deepEqual(rules(report), []);
    assert.ok(report.files > 100, `only ${report.files} files cruised`);
    const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
    assert.equal(doc, withPicture(doc, floorsPicture(report.arrows)));
  });

  it('names an import from a lower floor to a higher one', async () => {
    const root = tree({
      'main/kube/client.ts': "import { plan } from '../app/plan';\nexport const client = plan;\n",
      'main/app/plan.ts': 'export const plan = 1;\n',
    });
    assert.deepEqual(rules(await checkFloors(root)), ['floor-upward: main/kube/client.ts → main/app/plan.ts']);
  });

  it('counts a type-only import as an import', async () => {
    const root = tree({
      'main/auth/handlers.ts': "import type { Host } from '../app/host';\nexport type H = Host;\n",
      'main/app/host.ts': 'export interface Host { shell: string }\n',
    });
    assert.deepEqual(rules(await checkFloors(root)), ['floor-upward: main/auth/handlers.ts → main/app/host.ts']);
  });

  it('allows imports down and within a floor', async () => {
    const root = tree({
      'main/app/plan.ts':
        "import { client } from '../kube/client';\nimport { record } from '../inventory/record';\nexport const plan = client + record;\n",
      'main/kube/client.ts': "import { fail } from '../errors';\nexport const client = fail;\n",
      'main/inventory/record.ts': "import { client } from '../kube/client';\nexport const record = client;\n",
      'main/errors.ts': 'export const fail = 1;\n',
    });
    assert.deepEqual(rules(await checkFloors(root)), []);
  });

  it('names a loop between files, and one between folders of one floor', async () => {
    const files = tree({
      'main/tracking/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'main/tracking/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    const fileProblems = rules(await checkFloors(files));
    assert.ok(fileProblems.length > 0 && fileProblems.every((problem) => problem.startsWith('no-circular: ')), fileProblems.join('\n'));
    const folders = tree({
      'main/auth/a.ts': "import { t } from '../tracking/t';\nexport const a = t;\n",
      'main/tracking/t.ts': "import { u } from '../auth/u';\nexport const t = u;\n",
      'main/auth/u.ts': 'export const u = 1;\n',
    });
    assert.deepEqual(rules(await checkFloors(folders)), ['no-circular-folders: main/auth/ → main/tracking/ → main/auth/']);
  });

  it('refuses a folder that is on no floor, with imports or without', async () => {
    const root = tree({
      'main/newthing/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'main/newthing/b.ts': 'export const b = 1;\n',
    });
    assert.deepEqual(rules(await checkFloors(root)).sort(), [
      'not-on-a-floor: main/newthing/a.ts → main/newthing/b.ts',
      'not-on-a-floor: main/newthing/b.ts → ',
    ]);
  });

  it('places a file by its folder, and a top-level file by its name', () => {
    assert.equal(placeOf('main/kube/client.ts')?.room, 'main/kube/');
    assert.equal(placeOf('main/errors.ts')?.floor, 0);
    assert.equal(placeOf('main/errors-extra.ts'), undefined);
  });

  it('names a heavy package a start entry loads before the first paint, and lets a dynamic import through', async () => {
    const files = {
      'main/preview-main.ts': "import { app } from './app';\nexport const started = app;\n",
      'main/app.ts': "import { KubeConfig } from '@kubernetes/client-node';\nexport const app = KubeConfig;\n",
    };
    const eager = tree(files);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(eager, 'node_modules'));
    const problems = rules(await checkFloors(eager)).filter((rule) => rule.startsWith('heavy-before-first-paint'));
    assert.deepEqual(problems, [
      'heavy-before-first-paint: main/preview-main.ts → main/app.ts → node_modules/@kubernetes/client-node/dist/index.js',
    ]);
    const lazy = tree({ ...files, 'main/app.ts': "export const app = () => import('@kubernetes/client-node');\n" });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(lazy, 'node_modules'));
    assert.deepEqual(
      rules(await checkFloors(lazy)).filter((rule) => rule.startsWith('heavy')),
      [],
    );
  });

  it("names the Kubernetes client when the Catalogue's module reaches it, and lets its entry readers through", async () => {
    const files = {
      'main/app/catalogue-core.ts': "export { clusters } from '../kube/read';\n",
      'main/kube/read.ts': "import { KubeConfig } from '@kubernetes/client-node';\nexport const clusters = KubeConfig;\n",
    };
    const whole = tree(files);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(whole, 'node_modules'));
    assert.deepEqual(
      rules(await checkFloors(whole)).filter((rule) => rule.startsWith('kubernetes-client-on-the-catalogue')),
      [
        'kubernetes-client-on-the-catalogue: main/app/catalogue-core.ts → main/kube/read.ts → node_modules/@kubernetes/client-node/dist/index.js',
      ],
    );
    const readers = tree({
      ...files,
      'main/kube/read.ts':
        "import { newContexts } from '@kubernetes/client-node/dist/config_types.js';\nexport const clusters = newContexts;\n",
    });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(readers, 'node_modules'));
    assert.deepEqual(
      rules(await checkFloors(readers)).filter((rule) => rule.startsWith('kubernetes-client')),
      [],
    );
  });
});
