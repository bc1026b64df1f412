/**
 * Keeps the active profile current while the app runs. A valid edit replaces
 * the profile; a broken one keeps the last good profile and reports why.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiErrorShape } from '../errors';
import { loadProfileText, type ActiveProfile } from './profile-load';

export interface ProfileWatcherOptions {
  /** A valid new profile is now current. */
  onChange: (active: ActiveProfile) => void;
  /** The file changed but cannot be used; the last good profile stays current. */
  onError: (errors: ApiErrorShape[]) => void;
  /** Quiet time after the last file event before re-reading (editors write in bursts). Default 150 ms. */
  debounceMs?: number;
}

export interface ProfileWatcher {
  /** The last good profile. */
  current(): ActiveProfile;
  /** Stops watching; no callback runs afterwards. */
  dispose(): void;
}

export function watchProfile(initial: ActiveProfile, options: ProfileWatcherOptions): ProfileWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const folder = path.dirname(initial.file);
  const name = path.basename(initial.file);
  let current = initial;
  let lastBrokenText: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reloading = false;
  let reloadAgain = false;
  let disposed = false;

  const reload = async (): Promise<void> => {
    if (reloading) {
      reloadAgain = true;
      return;
    }
    reloading = true;
    try {
      do {
        reloadAgain = false;
        await reloadOnce();
      } while (reloadAgain && !disposed);
    } finally {
      reloading = false;
    }
  };

  const reloadOnce = async (): Promise<void> => {
    let text: string;
    try {
      text = await readFile(initial.file, 'utf8');
    } catch (error) {
      if (disposed) return;
      lastBrokenText = undefined;
      const code = (error as NodeJS.ErrnoException).code;
      const message =
        code === 'ENOENT'
          ? 'profile file was removed; keeping the last good profile'
          : `cannot read the profile file (${code ?? 'unknown error'}); keeping the last good profile`;
      options.onError([{ code: code === 'ENOENT' ? 'not_found' : 'unavailable', message, file: initial.file }]);
      return;
    }
    // Editors often touch or rewrite a file without changing it: only real edits are reported.
    if (disposed || text === lastBrokenText) return;
    const result = await loadProfileText(text, initial.file, initial.source);
    if (disposed) return;
    if (result.ok) {
      lastBrokenText = undefined;
      if (JSON.stringify(result.active) === JSON.stringify(current)) return;
      current = result.active;
      options.onChange(current);
    } else {
      lastBrokenText = text;
      options.onError(result.errors);
    }
  };

  const schedule = (): void => {
    if (disposed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  };

  // Watch the folder, not the file: editors that save by writing a new file and
  // renaming it over the old one would leave a file watch on the dead inode.
  let watcher: FSWatcher | undefined = watch(folder, { persistent: false }, (_event, changed) => {
    if (changed === null || changed === name) schedule();
  });
  watcher.on('error', (error: NodeJS.ErrnoException) => {
    if (disposed) return;
    options.onError([
      {
        code: 'unavailable',
        message: `stopped watching the profile folder (${error.code ?? error.message}); restart the app to pick up changes`,
        file: initial.file,
      },
    ]);
  });

  return {
    current: () => current,
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}
