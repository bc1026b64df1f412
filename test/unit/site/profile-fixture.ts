import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A minimal valid profile; `extra` is appended as more top-level YAML. */
export function profileText(siteName: string, extra = ''): string {
  return `apiVersion: afp.dev/v1
kind: SiteProfile
site:
  name: ${siteName}
  logo: data:image/png;base64,iVBORw0KGgo=
${extra}`;
}

export interface TempFolder {
  dir: string;
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempFolder(): Promise<TempFolder> {
  const dir = await mkdtemp(path.join(tmpdir(), 'afp-site-'));
  return {
    dir,
    async write(name, text) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
