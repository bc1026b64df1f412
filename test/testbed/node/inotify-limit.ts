/**
 * Every kubelet (and its cAdvisor) and containerd holds several inotify
 * instances, and the kernel's default of 128 per user is shared by every bed
 * running as root: with the shared bed and a test's own real-node bed up at
 * once, a kubelet failed with "inotify_init: too many open files". As kind
 * advises for several clusters on one host, the first bed raises the limit and
 * remembers the value it found; the last bed down puts it back.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const LIMIT = '/proc/sys/fs/inotify/max_user_instances';
const ORIGINAL = '/run/afp-testbed-inotify-max-user-instances';
const WANTED = 1024;

export function raiseInotifyLimit(): void {
  const current = Number(readFileSync(LIMIT, 'utf8').trim());
  if (current >= WANTED) return;
  if (!existsSync(ORIGINAL)) writeFileSync(ORIGINAL, `${current}\n`);
  writeFileSync(LIMIT, `${WANTED}\n`);
}

/** Called once no bed network is left: the machine gets back the value the first bed found. */
export function restoreInotifyLimit(): void {
  if (!existsSync(ORIGINAL)) return;
  writeFileSync(LIMIT, readFileSync(ORIGINAL, 'utf8'));
  rmSync(ORIGINAL, { force: true });
}
