/**
 * The background process behind `npm run testbed -- up`: owns a running test
 * bed, writes .testbed/env.json once everything is ready, and stops the bed
 * (every process group) on SIGTERM or SIGINT.
 * Flags: --no-idp --no-im --no-dispatcher --real-nodes <n> --no-kwok-nodes --no-network-policy
 */
import { DEFAULT_ENV_PATH } from './env';
import { sharedBedOptions, startTestbed } from './index';
import type { TestbedOptions } from './index';

const argv = process.argv.slice(2);
const flags = new Set(argv);
const realNodesAt = argv.indexOf('--real-nodes');
const options: TestbedOptions = {
  envFile: process.env.AFP_TESTBED_ENV ?? DEFAULT_ENV_PATH,
  ...sharedBedOptions(),
  ...(realNodesAt >= 0 ? { realNodes: Number(argv[realNodesAt + 1]) } : {}),
  onStep: (step, ms) => console.log(`[testbed] ${step} ready after ${ms} ms`),
};
if (flags.has('--no-idp')) options.idp = false;
if (flags.has('--no-im')) options.im = false;
if (flags.has('--no-dispatcher')) options.dispatcher = false;
if (flags.has('--no-kwok-nodes')) options.kwokNodes = false;
if (flags.has('--no-network-policy')) options.networkPolicy = false;

try {
  const bed = await startTestbed(options);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[testbed] ${signal}: stopping`);
    bed.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[testbed] stop failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
} catch (error) {
  console.error(`[testbed] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
