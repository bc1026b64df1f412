/**
 * Test-bed benchmark, printed as JSON:
 *   coldBuild   the binaries' build time — read from the timing file the build
 *               script writes, or measured into an empty cache with --cold (30+ min)
 *   warmStart   startTestbed() to all-ready, binaries cached, with per-step times
 *   memory      RSS of every process of the running bed, and of this process (proxies, IdP client)
 *   stop        stop() until no process is left
 * Usage: tsx bench/testbed.ts [--cold] [--runs N] [--no-idp] [--no-im] [--no-dispatcher]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBinaries } from '../test/testbed/binaries';
import { startTestbed } from '../test/testbed/index';
import type { TestbedOptions } from '../test/testbed/index';
import { bedProcesses } from '../test/testbed/stale';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 1) || 1;
const options: TestbedOptions = {};
if (args.includes('--no-idp')) options.idp = false;
if (args.includes('--no-im')) options.im = false;
if (args.includes('--no-dispatcher')) options.dispatcher = false;

interface BuildTiming {
  seconds: number;
  finishedAt?: string;
  source: 'timing file' | 'measured (--cold)' | 'unknown';
}

async function coldBuild(): Promise<BuildTiming> {
  if (args.includes('--cold')) {
    const cache = mkdtempSync(join(tmpdir(), 'afp-cold-build-'));
    const began = Date.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const script = fileURLToPath(new URL('../test/testbed/build-binaries.sh', import.meta.url));
        const child = spawn('bash', [script], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, AFP_CACHE_DIR: cache } });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`build-binaries.sh exited with ${code}`))));
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
    return { seconds: (Date.now() - began) / 1000, source: 'measured (--cold)' };
  }
  const timingFile = join(dirname(await ensureBinaries()), 'build-time.json');
  if (!existsSync(timingFile)) return { seconds: Number.NaN, source: 'unknown' };
  const timing = JSON.parse(readFileSync(timingFile, 'utf8')) as { seconds: number; finishedAt?: string };
  return { seconds: timing.seconds, ...(timing.finishedAt === undefined ? {} : { finishedAt: timing.finishedAt }), source: 'timing file' };
}

function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

function processName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return String(pid);
  }
}

const build = await coldBuild();
const starts: { ms: number; steps: Record<string, number> }[] = [];
let memory: { processes: { name: string; pid: number; rssMiB: number }[]; bedRssMiB: number; ownerRssMiB: number } | undefined;
const stops: number[] = [];
for (let run = 0; run < runs; run++) {
  const began = Date.now();
  const bed = await startTestbed(options);
  starts.push({ ms: Date.now() - began, steps: bed.timings });
  if (run === runs - 1) {
    // Let the controllers settle, as a bed does between tests.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const processes = bedProcesses(bed.dir).map((pid) => ({ name: processName(pid), pid, rssMiB: Math.round(rssKiB(pid) / 1024) }));
    memory = {
      processes,
      bedRssMiB: processes.reduce((sum, entry) => sum + entry.rssMiB, 0),
      ownerRssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
    };
  }
  const stopBegan = Date.now();
  await bed.stop();
  stops.push(Date.now() - stopBegan);
}

console.log(
  JSON.stringify(
    {
      benchmark: 'testbed',
      coldBuildSeconds: build.seconds,
      coldBuildSource: build.source,
      ...(build.finishedAt === undefined ? {} : { coldBuildFinishedAt: build.finishedAt }),
      warmStartMs: starts.map((start) => start.ms),
      warmStartSteps: starts.at(-1)?.steps,
      memory,
      stopMs: stops,
    },
    null,
    2,
  ),
);
