import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createApp } from '../../../main/app';
import { main } from '../../../main/cli';
import { createLogger } from '../../../main/log';
import { testHost } from '../../support/host';

describe('app.notify: the desktop notification the renderer asks the shell for', () => {
  const log = createLogger(() => undefined);

  it('is shown by a shell that has notifications (Electron), with the words the renderer chose', async () => {
    const shown: [string, string][] = [];
    const app = createApp({ host: { ...testHost(), shell: 'electron', notify: (title, body) => shown.push([title, body]) }, log });
    try {
      const result = await app.dispatch('app.notify', { title: 'lab è pronto', body: 'I suoi collegamenti sono attivi.' }, { via: 'test' });
      assert.deepEqual(result, { ok: true, value: { shown: true } });
      assert.deepEqual(shown, [['lab è pronto', 'I suoi collegamenti sono attivi.']]);
    } finally {
      await app.dispose();
    }
  });

  it('answers shown: false where the shell has none (the preview uses the Web Notifications API), and refuses an empty title', async () => {
    const app = createApp({ host: testHost(), log });
    try {
      assert.deepEqual(await app.dispatch('app.notify', { title: 'lab is ready', body: '' }, { via: 'test' }), {
        ok: true,
        value: { shown: false },
      });
      const empty = await app.dispatch('app.notify', { title: '', body: '' }, { via: 'test' });
      assert.ok(!empty.ok);
      assert.equal(empty.error.field, 'title');
    } finally {
      await app.dispose();
    }
  });
});

describe('environments.logStream: what reaches the cluster is a Kubernetes name', () => {
  it('refuses a pod or container that is not one, before any request', async () => {
    const app = createApp({ host: testHost(), log: createLogger(() => undefined) });
    try {
      for (const [pod, container] of [
        ['../../nodes/x', 'main'],
        ['hub', 'main?follow=true'],
      ] as const) {
        const result = await app.dispatch('environments.logStream', { id: 'lab', pod, container }, { via: 'test' });
        assert.ok(!result.ok);
        assert.equal(result.error.code, 'invalid_input');
        assert.ok(['pod', 'container'].includes(result.error.field ?? ''), result.error.message);
      }
      const tooMany = await app.dispatch(
        'environments.logStream',
        { id: 'lab', pod: 'hub', container: 'hub', tailLines: 1_000_000 },
        { via: 'test' },
      );
      assert.ok(!tooMany.ok);
      assert.equal(tooMany.error.field, 'tailLines');
    } finally {
      await app.dispose();
    }
  });
});

describe('afp open and afp logs on an environment that is not there', () => {
  const config = mkdtempSync(path.join(tmpdir(), 'afp-open-'));
  const previous = process.env.AFP_CONFIG_DIR;
  process.env.AFP_CONFIG_DIR = config;
  after(() => {
    if (previous === undefined) delete process.env.AFP_CONFIG_DIR;
    else process.env.AFP_CONFIG_DIR = previous;
    rmSync(config, { recursive: true, force: true });
  });
  const run = async (argv: string[]): Promise<{ code: number; stderr: string }> => {
    let stderr = '';
    const code = await main(argv, { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, cwd: config });
    return { code, stderr };
  };

  it('say so with exit 1, and a wrong call with exit 2', async () => {
    const open = await run(['open', 'nothing-here']);
    assert.equal(open.code, 1);
    assert.match(open.stderr, /No environment named "nothing-here"/);
    const usage = await run(['open', 'a', 'b', 'c']);
    assert.equal(usage.code, 2);
    const logs = await run(['logs', 'nothing-here', 'hub', '--follow']);
    assert.equal(logs.code, 1, logs.stderr);
    assert.match(logs.stderr, /No environment named "nothing-here"/);
    const tooMany = await run(['logs', 'nothing-here', 'a', 'b']);
    assert.equal(tooMany.code, 2, 'three positionals');
  });
});
