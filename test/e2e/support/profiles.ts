import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The Naples example profile (docs/examples), copied so a test may edit it. */
export function naplesProfileCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-profile-'));
  cpSync(path.resolve('docs/examples'), dir, { recursive: true });
  return path.join(dir, 'naples-af.yaml');
}
