import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Test files under `dir` whose names end with one of `suffixes` (Node 20's runner has no globs). */
export function findTestFiles(dir: string, suffixes: string[]): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}
