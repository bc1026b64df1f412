/**
 * Start-up to first contentful paint, and the renderer bundle size. Prints
 * JSON. Targets: first paint ≤ 600 ms, bundle ≤ 400 KB gzip.
 *
 * Cold: a new Node process running the built preview (out/main/preview.js,
 * bundled as the Electron shell is) and a newly launched browser standing in
 * for Electron's window, from spawn to first paint. Warm: the preview started
 * again in this process and a new page in a running browser — the baseline
 * the cold figure is compared with. Shell: a new Node process importing the
 * built Electron shell (out/main/index.js) with `electron` stubbed out
 * (bench/electron-stub/), the module loading Electron would do before its
 * window opens — the same loading order as the preview's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright';
import { startPreview } from '../main/preview';
import { buildApp } from '../scripts/build';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_FIRST_PAINT_MS = 600;
const CHROMIUM = process.env.AFP_CHROMIUM ?? '/usr/bin/chromium';
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const FCP =
  "new Promise(r => { const e = performance.getEntriesByName('first-contentful-paint')[0]; if (e) r(e.startTime); else new PerformanceObserver(l => r(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }); })";

await main();

function bundleGzipBytes(dir: string): { files: number; raw: number; gzip: number } {
  const assets = path.join(dir, 'assets');
  let raw = 0;
  let gzip = 0;
  const files = readdirSync(assets).filter((f) => /\.(js|css)$/.test(f));
  for (const file of files) {
    const body = readFileSync(path.join(assets, file));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  return { files: files.length, raw, gzip };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Navigation start → first contentful paint (the boot splash, painted before the bundle runs, or the page), read from
 * the page's own timeline once the catalogue's cards (or its notice) are in the page; `cardsAt` is when they were seen.
 */
async function paintOf(page: Page, url: string): Promise<{ fcp: number; cardsAt: number }> {
  await page.goto(url);
  await page.locator('ul.card-grid, .notice').first().waitFor({ state: 'attached' });
  const cardsAt = performance.now();
  return { fcp: await page.evaluate<number>(FCP), cardsAt };
}

async function coldRun(): Promise<{ processMs: number; browserMs: number; paintMs: number; totalMs: number; cardsMs: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, AFP_CONFIG_DIR: mkdtempSync(path.join(os.tmpdir(), 'afp-bench-')) };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'AFP_PROFILE']) delete env[name];
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.resolve('out', 'main', 'preview.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const launching = chromium
    .launch({ executablePath: CHROMIUM, args: BROWSER_ARGS })
    .then((browser) => ({ browser, at: performance.now() }));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the preview exited (${String(code)}) before it served`)));
  });
  const served = performance.now();
  const { browser, at: launched } = await launching;
  try {
    const page = await browser.newPage();
    const navigationStart = performance.now();
    const { fcp, cardsAt } = await paintOf(page, url);
    return { processMs: served - t0, browserMs: launched - t0, paintMs: fcp, totalMs: navigationStart - t0 + fcp, cardsMs: cardsAt - t0 };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await exited;
  }
}

/** A new Node process: import of the built Electron shell with electron stubbed, in ms. */
function shellModuleLoad(): Promise<number> {
  const shell = pathToFileURL(path.resolve('out', 'main', 'index.js')).href;
  const script = `const t = performance.now(); await import(${JSON.stringify(shell)}); console.log(performance.now() - t); process.exit(0);`;
  const child = spawn(process.execPath, ['--import', './bench/electron-stub/register.mjs', '--input-type=module', '-e', script], {
    env: { ...process.env, AFP_CONFIG_DIR: mkdtempSync(path.join(os.tmpdir(), 'afp-bench-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(Number(line)));
    child.once('exit', (code) => reject(new Error(`the shell import exited (${String(code)}) without a time`)));
  });
}

async function main(): Promise<void> {
  await buildApp();
  const [loadBefore = NaN] = os.loadavg();
  const shell: number[] = [];
  for (let run = 0; run < RUNS; run++) shell.push(await shellModuleLoad());
  const cold = [];
  for (let run = 0; run < RUNS; run++) cold.push(await coldRun());

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = performance.now();
    const preview = await startPreview({ configDir: mkdtempSync(path.join(os.tmpdir(), 'afp-bench-')) });
    const served = performance.now();
    warm.push(served - t0 + (await paintOf(page, preview.bridge.url)).fcp);
    await context.close();
    await preview.close();
  }
  await browser.close();

  const coldTotal = median(cold.map((c) => c.totalMs));
  const warmTotal = median(warm);
  const bundle = bundleGzipBytes(path.resolve('out', 'renderer'));
  console.log(
    JSON.stringify(
      {
        benchmark: 'startup',
        runs: RUNS,
        cold: {
          what: 'spawn of node out/main/preview.js and of a new browser (in parallel) → first contentful paint',
          includes:
            'toFirstContentfulPaintMs = the later of serving and browser launch, + a new page, + navigation to first contentful paint (medians of each figure are taken separately)',
          processToServingMs: Math.round(median(cold.map((c) => c.processMs))),
          browserLaunchMs: Math.round(median(cold.map((c) => c.browserMs))),
          navigationToPaintMs: Math.round(median(cold.map((c) => c.paintMs))),
          toFirstContentfulPaintMs: Math.round(coldTotal),
          toCatalogueCardsMs: Math.round(median(cold.map((c) => c.cardsMs))),
          toCatalogueCardsWhat: 'spawn → the Catalogue cards (or its notice) in the page: the app loaded and its first answers rendered',
        },
        warm: {
          what: 'preview restarted in-process, new page in a running browser (baseline)',
          toFirstContentfulPaintMs: Math.round(warmTotal),
        },
        coldVsWarm: Number((coldTotal / warmTotal).toFixed(2)),
        targetFirstPaintMs: TARGET_FIRST_PAINT_MS,
        firstPaintVsTarget: Number((coldTotal / TARGET_FIRST_PAINT_MS).toFixed(3)),
        electronShell: {
          what: 'new Node process importing out/main/index.js with electron stubbed: module loading before the window opens',
          moduleLoadMs: Math.round(median(shell)),
        },
        machine: {
          cores: os.cpus().length,
          loadAverage1mBefore: Number(loadBefore.toFixed(2)),
          loadAverage1mAfter: Number((os.loadavg()[0] ?? NaN).toFixed(2)),
        },
        rendererBundle: { files: bundle.files, rawBytes: bundle.raw, gzipBytes: bundle.gzip },
        targetBundleGzipBytes: 400 * 1024,
        bundleVsTarget: Number((bundle.gzip / (400 * 1024)).toFixed(3)),
      },
      null,
      2,
    ),
  );
}
