import Conf from 'conf';
import type { KeyValueStore } from './key-value-store';
import { keepPrivate, PRIVATE_FILE_MODE } from './private-files';

/** A conf-backed store in `dir`, named like electron-store's default file (`<name>.json`); 0600 in a 0700 folder. */
export function openConfStore(dir: string, name: string): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: name,
    projectName: 'af-provisioner',
    projectSuffix: '',
    configFileMode: PRIVATE_FILE_MODE,
  });
  keepPrivate(dir, [conf.path]);
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
    get path() {
      return conf.path;
    },
  };
}
