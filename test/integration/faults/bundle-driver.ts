/**
 * Bundles crash-driver.ts into plain ESM under node_modules/.cache, so each of
 * the crash test's many short-lived processes starts in a fraction of the time
 * tsx would take to compile it (on a loaded two-core machine: ~1.5 s vs ~4 s).
 */
import { build } from 'esbuild';
import path from 'node:path';
import { REPO_ROOT } from '../../testbed/env';

export async function bundleCrashDriver(): Promise<string> {
  const outdir = path.join(REPO_ROOT, 'node_modules/.cache/afp-faults', String(process.pid));
  await build({
    entryPoints: [path.join(REPO_ROOT, 'test/integration/faults/crash-driver.ts')],
    bundle: true,
    // The inventory writer loads only its share; the deploy driver's Kubernetes client comes in a chunk of its own.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
    // Some bundled packages are CommonJS and call require().
    banner: { js: "import { createRequire as afpCreateRequire } from 'node:module'; const require = afpCreateRequire(import.meta.url);" },
  });
  return path.join(outdir, 'crash-driver.js');
}
