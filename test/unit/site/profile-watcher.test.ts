import assert from 'node:assert/strict';
import { rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ApiErrorShape } from '../../../main/errors';
import { loadProfileFile, type ActiveProfile } from '../../../main/site/profile-load';
import { watchProfile, type ProfileWatcher } from '../../../main/site/profile-watcher';
import { profileText, tempFolder, type TempFolder } from './profile-fixture';

type Seen = { kind: 'change'; active: ActiveProfile } | { kind: 'error'; errors: ApiErrorShape[] };

/** Starts a watcher on `file` and hands out what it reports, one at a time. */
async function watching(file: string): Promise<{ watcher: ProfileWatcher; next: () => Promise<Seen>; seen: Seen[] }> {
  const loaded = await loadProfileFile(file, 'settings');
  assert.ok(loaded.ok);
  const seen: Seen[] = [];
  let wake: (() => void) | undefined;
  const push = (event: Seen): void => {
    seen.push(event);
    wake?.();
  };
  const watcher = watchProfile(loaded.active, {
    debounceMs: 50,
    onChange: (active) => push({ kind: 'change', active }),
    onError: (errors) => push({ kind: 'error', errors }),
  });
  let taken = 0;
  const next = async (): Promise<Seen> => {
    const deadline = Date.now() + 5000;
    while (seen.length <= taken) {
      if (Date.now() > deadline) throw new Error('the watcher reported nothing within 5 s');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    return seen[taken++]!;
  };
  return { watcher, next, seen };
}

describe('watching the active profile', () => {
  let tmp: TempFolder;
  before(async () => {
    tmp = await tempFolder();
  });
  after(async () => {
    await tmp.remove();
  });

  it('keeps the last good profile on a broken edit, says why, and takes the fixed one', async () => {
    const file = await tmp.write('edit/profile.yaml', profileText('Version 1'));
    const { watcher, next } = await watching(file);
    try {
      await writeFile(file, profileText('Version 2', 'targets:\n  im: { url: https://im.example.org, authMode: vault }\n'));
      const broken = await next();
      assert.equal(broken.kind, 'error');
      assert.deepEqual(broken.kind === 'error' && broken.errors.map((e) => [e.file, e.line, e.field]), [[file, 7, 'targets.im.authMode']]);
      assert.equal(watcher.current().profile.site.name, 'Version 1');

      await writeFile(file, profileText('Version 3', 'targets:\n  im: { url: https://im.example.org, authMode: bearer }\n'));
      const fixed = await next();
      assert.equal(fixed.kind, 'change');
      assert.equal(fixed.kind === 'change' && fixed.active.profile.site.name, 'Version 3');
      assert.equal(watcher.current().profile.targets?.im?.authMode, 'bearer');
      assert.equal(watcher.current().source, 'settings');
    } finally {
      watcher.dispose();
    }
  });

  it('keeps the last good profile when an edit widens a template range', async () => {
    const file = await tmp.write(
      'widen/profile.yaml',
      profileText('Narrow', 'templates:\n  ranges:\n    dask: { workers: { max: 10 } }\n'),
    );
    const { watcher, next } = await watching(file);
    try {
      await writeFile(file, profileText('Wide', 'templates:\n  ranges:\n    dask: { workers: { max: 1000 } }\n'));
      const seen = await next();
      assert.equal(seen.kind === 'error' && seen.errors[0]?.field, 'templates.ranges.dask.workers.max');
      assert.equal(watcher.current().profile.site.name, 'Narrow');
    } finally {
      watcher.dispose();
    }
  });

  it('follows an editor that saves by renaming a new file over the old one', async () => {
    const file = await tmp.write('rename/profile.yaml', profileText('Before'));
    const { watcher, next } = await watching(file);
    try {
      for (const name of ['After once', 'After twice']) {
        const temp = path.join(path.dirname(file), '.profile.yaml.swp');
        await writeFile(temp, profileText(name));
        await rename(temp, file);
        const seen = await next();
        assert.equal(seen.kind === 'change' && seen.active.profile.site.name, name);
      }
    } finally {
      watcher.dispose();
    }
  });

  it('reports a removed file and keeps the profile, then picks it up when it is back', async () => {
    const file = await tmp.write('remove/profile.yaml', profileText('Kept'));
    const { watcher, next } = await watching(file);
    try {
      await unlink(file);
      const gone = await next();
      assert.equal(gone.kind === 'error' && gone.errors[0]?.code, 'not_found');
      assert.equal(watcher.current().profile.site.name, 'Kept');
      await writeFile(file, profileText('Restored'));
      const back = await next();
      assert.equal(back.kind === 'change' && back.active.profile.site.name, 'Restored');
    } finally {
      watcher.dispose();
    }
  });

  it('does not report a save that changes nothing', async () => {
    const file = await tmp.write('touch/profile.yaml', profileText('Same'));
    const { watcher, seen } = await watching(file);
    try {
      await writeFile(file, profileText('Same'));
      await sleep(400);
      assert.deepEqual(seen, []);
    } finally {
      watcher.dispose();
    }
  });

  it('reports nothing after dispose', async () => {
    const file = await tmp.write('dispose/profile.yaml', profileText('Live'));
    const { watcher, next, seen } = await watching(file);
    await writeFile(file, profileText('Still watched'));
    assert.equal((await next()).kind, 'change');
    watcher.dispose();
    await writeFile(file, profileText('After dispose'));
    await writeFile(file, 'not: [valid');
    await sleep(400);
    assert.equal(seen.length, 1);
    assert.equal(watcher.current().profile.site.name, 'Still watched');
  });
});
