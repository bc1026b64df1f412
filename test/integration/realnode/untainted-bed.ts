/**
 * A bed with an untainted real node, where an environment deployed with afp
 * lands as on a person's cluster: the one AFP_TESTBED_ENV names when it is
 * shaped so (`npm run testbed -- up --real-nodes 1 --no-kwok-nodes`), else one
 * of our own (pause, MinIO and busybox images), stopped by stop().
 */
import { readFileSync } from 'node:fs';
import { startTestbed } from '../../testbed/index';
import { ENV_VARIABLE, readEnv } from '../../testbed/env';

export interface UntaintedBed {
  envFile: string;
  stop(): Promise<void>;
}

export async function untaintedRealBed(): Promise<UntaintedBed> {
  const given = process.env[ENV_VARIABLE];
  if (given !== undefined && fits(given)) return { envFile: given, stop: () => Promise.resolve() };
  const bed = await startTestbed({
    idp: false,
    im: false,
    dispatcher: false,
    realNodes: 1,
    kwokNodes: false,
    realNodeImages: ['pause', 'minio'],
  });
  process.env[ENV_VARIABLE] = bed.envFile;
  return { envFile: bed.envFile, stop: () => bed.stop() };
}

function fits(envFile: string): boolean {
  try {
    readFileSync(envFile);
    const real = readEnv(envFile).realNodes;
    return real !== undefined && real.names.length >= 1 && real.taint === undefined;
  } catch {
    return false;
  }
}
