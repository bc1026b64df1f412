/**
 * `npm test`: build, typecheck and lint, start the test bed once, run every
 * suite (unit, integration, e2e) in one node:test run, stop the bed.
 * `npm test -- unit|integration|e2e` runs one kind; AFP_TESTBED_ENV reuses a bed
 * already up (`npm run testbed -- up`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './build';
import { findTestFiles } from './test-files';

type Kind = 'unit' | 'integration' | 'e2e';
const KINDS: Kind[] = ['unit', 'integration', 'e2e'];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    child.on('error', () => resolve(127));
  });
}

function step(title: string): void {
  console.log(`\n── ${title}`);
}

const wanted = process.argv.slice(2).filter((a): a is Kind => (KINDS as string[]).includes(a));
const kinds = wanted.length > 0 ? wanted : KINDS;
const needsBed = kinds.some((k) => k !== 'unit');
const failures: string[] = [];

step('system packages');
if ((await run('bash', ['scripts/ensure-system-deps.sh'])) !== 0) failures.push('system packages');

step('build');
await buildApp();

interface RunningBed {
  envFile: string;
  logDir?: string;
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

async function startBed(): Promise<RunningBed | undefined> {
  if (process.env.AFP_TESTBED_ENV !== undefined) return { envFile: process.env.AFP_TESTBED_ENV, stop: () => Promise.resolve() };
  const entry = path.resolve('test/testbed/index.ts');
  if (!existsSync(entry)) return undefined;
  const { startTestbed, sharedBedOptions } = (await import(entry)) as {
    startTestbed: (o?: object) => Promise<RunningBed & { env: { logDir: string } }>;
    sharedBedOptions: () => object;
  };
  // The shared bed has real container nodes (test/testbed/README.md); if they cannot start, the run fails here.
  const bed = await startTestbed(sharedBedOptions());
  return { envFile: bed.envFile, logDir: bed.env.logDir, stop: (options) => bed.stop(options) };
}

step('typecheck, lint, format, floors' + (needsBed ? ', test bed' : ''));
const checks = Promise.all([
  run('npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']),
  run('npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']),
  run('npx', ['eslint', '--max-warnings', '0', '.']),
  run('npx', ['prettier', '--check', '--log-level', 'warn', '.']),
  // No import runs up a floor or round a loop (scripts/floors.ts, dependency-cruiser).
  run('npx', ['tsx', 'scripts/floors.ts', '--check']),
]);
const bedPromise = needsBed
  ? startBed().catch((error: unknown) => {
      console.error(`The test bed did not start: ${error instanceof Error ? error.message : String(error)}`);
      failures.push('test bed');
      return undefined;
    })
  : Promise.resolve(undefined);
const [typecheckNode, typecheckWeb, lint, format, floors] = await checks;
if (typecheckNode !== 0 || typecheckWeb !== 0) failures.push('typecheck');
if (lint !== 0) failures.push('lint');
if (format !== 0) failures.push('format (run npm run format)');
if (floors !== 0) failures.push('floors (an import runs up a floor or round a loop: npx tsx scripts/floors.ts)');
const bed = await bedPromise;

const files = [
  ...(kinds.includes('unit') ? findTestFiles('test/unit', ['.test.ts']) : []),
  ...(kinds.includes('integration') ? findTestFiles('test/integration', ['.test.ts']) : []),
  ...(kinds.includes('e2e') ? findTestFiles('test/e2e', ['.spec.ts']) : []),
];

step(`tests (${kinds.join(', ')}: ${files.length} files)`);
const env = { ...process.env, ...(bed === undefined ? {} : { AFP_TESTBED_ENV: bed.envFile }) };
const testStatus = await run(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files],
  env,
);
if (testStatus !== 0) failures.push('tests');

if (bed !== undefined) {
  step('stopping the test bed');
  // A failed run keeps the servers' logs for the reader.
  await bed.stop({ keepLogs: testStatus !== 0 });
  if (testStatus !== 0 && bed.logDir !== undefined) console.error(`Test bed logs: ${bed.logDir}`);
}

if (failures.length > 0) {
  console.error(`\nnpm test failed: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\nnpm test passed');
