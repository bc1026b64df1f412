import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Host } from '../../main/app/host';
import { openConfStore } from '../../main/store/conf-store';

/** A preview host over a fresh temporary config folder; opened links are recorded, not launched. */
export function testHost(opened: string[] = [], dir = mkdtempSync(path.join(os.tmpdir(), 'afp-host-'))): Host {
  return {
    shell: 'browser-preview',
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve(true);
    },
    openStore: (name) => openConfStore(dir, name),
  };
}
