/**
 * Preview cold start to first contentful paint, and the renderer bundle size.
 * Prints JSON. Targets: first paint ≤ 1500 ms, bundle ≤ 400 KB gzip.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { startPreview } from '../main/preview';
import { buildApp } from '../scripts/build';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.AFP_CHROMIUM ?? '/usr/bin/chromium';

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

await buildApp();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const totals: number[] = [];
const serverStarts: number[] = [];
const paints: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const t0 = performance.now();
  const preview = await startPreview({ configDir: mkdtempSync(path.join(os.tmpdir(), 'afp-bench-')) });
  const serverReady = performance.now();
  await page.goto(preview.bridge.url);
  await page.locator('ul.card-grid, .notice').first().waitFor({ state: 'attached' });
  const fcp = await page.evaluate<number>(
    "new Promise(r => { const e = performance.getEntriesByName('first-contentful-paint')[0]; if (e) r(e.startTime); else new PerformanceObserver(l => r(l.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true }); })",
  );
  serverStarts.push(serverReady - t0);
  paints.push(fcp);
  totals.push(serverReady - t0 + fcp);
  await context.close();
  await preview.close();
}
await browser.close();

const bundle = bundleGzipBytes(path.resolve('out', 'renderer'));
const result = {
  benchmark: 'startup',
  runs: RUNS,
  previewStartMs: Math.round(median(serverStarts)),
  navigationToFirstContentfulPaintMs: Math.round(median(paints)),
  coldStartToFirstContentfulPaintMs: Math.round(median(totals)),
  targetFirstPaintMs: 1500,
  firstPaintVsTarget: Number((median(totals) / 1500).toFixed(3)),
  rendererBundle: { files: bundle.files, rawBytes: bundle.raw, gzipBytes: bundle.gzip },
  targetBundleGzipBytes: 400 * 1024,
  bundleVsTarget: Number((bundle.gzip / (400 * 1024)).toFixed(3)),
};
console.log(JSON.stringify(result, null, 2));
