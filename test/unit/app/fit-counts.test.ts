/**
 * The Configure page and `afp fit` count the same pods for the same plan. They
 * did not: the page left out the users' servers (12 of the Naples defaults'
 * 15 pods) while the CLI counted them. The GUI side is asked over the preview's
 * HTTP bridge, as the renderer asks; the CLI side runs `afp fit` in-process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HTTP_REQUEST_PREFIX } from '../../../main/api';
import { main } from '../../../main/cli';
import type { FitView } from '../../../main/contract/capacity';
import { createLogger } from '../../../main/log';
import { startPreview, type Preview } from '../../../main/preview';

const PROFILE = path.resolve('docs/examples/naples-af.yaml');

interface CliFit {
  code: number;
  text: string;
  summary: { pods: number; pending: number; spawned: number; spawnedPending: number; request: { cpu: number; memory: number } };
}

async function cliFit(sets: string[]): Promise<CliFit> {
  const args = ['fit', 'analysis-facility', '--profile', PROFILE, ...sets.flatMap((set) => ['--set', set])];
  const run = async (extra: string[]): Promise<{ code: number; stdout: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await main([...args, ...extra], {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      cwd: process.cwd(),
    });
    assert.ok(code === 0 || code === 3, stderr);
    return { code, stdout };
  };
  const text = await run([]);
  const json = JSON.parse((await run(['--json'])).stdout) as { summary: CliFit['summary'] };
  return { code: text.code, text: text.stdout, summary: json.summary };
}

describe('the GUI and the CLI count the same pods for a plan (Naples profile, declared capacity)', { timeout: 60_000 }, () => {
  let preview: Preview;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-counts-'));

  async function guiFit(sets: string[]): Promise<Extract<FitView, { ok: true }>> {
    const values = Object.fromEntries(
      sets.map((set) => {
        const [key = '', value = ''] = set.split('=');
        return [key, /^\d+$/.test(value) ? Number(value) : value];
      }),
    );
    const response = await fetch(`${preview.bridge.origin}${HTTP_REQUEST_PREFIX}capacity.fit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${preview.bridge.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ plan: { template: 'analysis-facility', values, name: 'analysis-facility' }, source: { kind: 'profile' } }),
    });
    const answer = (await response.json()) as { ok: boolean; value: FitView };
    assert.ok(answer.ok && answer.value.ok, JSON.stringify(answer));
    return answer.value;
  }

  before(async () => {
    preview = await startPreview({
      configDir: path.join(dir, 'config'),
      rendererDir: path.join(dir, 'no-renderer'),
      openExternal: () => Promise.resolve(false),
      log: createLogger(() => undefined),
      profileSources: { env: { AFP_PROFILE: PROFILE }, systemPath: path.join(dir, 'no-system-profile.yaml') },
    });
  });
  after(() => preview.close());

  for (const [plan, sets] of [
    ['the site defaults (users’ servers included)', []],
    ['too many large workers', ['workers=20', 'workerCpu=3']],
    ['too many users’ servers', ['users=30']],
  ] as const) {
    it(`${plan}: same pods, same pending, same users' servers, same totals`, async () => {
      const [gui, cli] = await Promise.all([guiFit([...sets]), cliFit([...sets])]);
      assert.deepEqual(
        [gui.summary.pods, gui.summary.pending, gui.summary.spawned, gui.summary.spawnedPending, gui.summary.request],
        [cli.summary.pods, cli.summary.pending, cli.summary.spawned, cli.summary.spawnedPending, cli.summary.request],
      );
      // The page's per-pod list and the verdict agree with the count, and so does the CLI's text.
      assert.equal(gui.pods.length, gui.summary.pods);
      assert.equal(gui.allFit, gui.summary.pending === 0);
      assert.equal(cli.code === 0, gui.allFit);
      assert.match(cli.text, new RegExp(`\\b${gui.summary.pods} pods\\b|of ${gui.summary.pods} will not start`));
      assert.ok(gui.summary.spawned > 0, 'the plan has users’ servers, the pods the two counts used to differ on');
    });
  }
});
