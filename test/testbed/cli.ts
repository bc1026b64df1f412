/**
 * npm run testbed -- up [--no-idp] [--no-im] [--no-dispatcher] [--real-nodes <n>] [--no-kwok-nodes] [--no-network-policy]
 * npm run testbed -- status
 * npm run testbed -- down
 * npm run testbed -- fault list
 * npm run testbed -- fault <proxy> show | clear | pause | resume | reset
 * npm run testbed -- fault <proxy> latency <ms each way> [<ms down>]
 * npm run testbed -- fault <proxy> bandwidth <bytes/s, e.g. 100k, 1m, 0 = off>
 * npm run testbed -- fault <proxy> cut [--every <s>] [--min-age <ms>] [--reset] [--all]
 * npm run testbed -- fault <proxy> refuse on|off
 * npm run testbed -- fault <proxy> error <status> [--path <regex>] [--method <M>] [--times <n>]
 * npm run testbed -- server list | <name> stop|start|restart
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_ENV_PATH, ENV_VARIABLE, readEnv, REPO_ROOT } from './env';
import type { TestbedEnv } from './env';
import { groupAlive } from './process';
import { bedLeftovers, bedProcesses, clearBed, sweepStaleBeds } from './stale';
import { controlRequest, faultRequest } from './cli-fault';
import { nodeMemory } from './node/memory';

const ENV_PATH = process.env[ENV_VARIABLE] ?? DEFAULT_ENV_PATH;
const SUPERVISOR = join(dirname(fileURLToPath(import.meta.url)), 'supervisor.ts');
const SUPERVISOR_LOG = join(dirname(ENV_PATH), 'supervisor.log');
const UP_TIMEOUT_MS = 60 * 60 * 1000; // a fresh machine builds the binaries first

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(rest);
    case 'status':
      return status();
    case 'down':
      return down();
    case 'fault':
      return print(await faultRequest(currentEnv(), rest));
    case 'server':
      return print(await serverRequest(currentEnv(), rest));
    default:
      console.error(
        readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('*/')[0]!
          .replace(/^\/\*\*\n/, '')
          .replace(/^ \* ?/gm, ''),
      );
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

async function up(flags: string[]): Promise<number> {
  const running = liveEnv();
  if (running !== undefined) {
    console.log(JSON.stringify(running, null, 2));
    console.error(`[testbed] already up (owner pid ${running.ownerPid}); \`npm run testbed -- down\` stops it`);
    return 0;
  }
  await rm(ENV_PATH, { force: true });
  await mkdir(dirname(ENV_PATH), { recursive: true });
  const log = openSync(SUPERVISOR_LOG, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', SUPERVISOR, ...flags], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, [ENV_VARIABLE]: ENV_PATH },
  });
  closeSync(log);
  child.unref();
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + UP_TIMEOUT_MS;
  while (!existsSync(ENV_PATH)) {
    if (exited !== undefined || Date.now() > deadline) {
      console.error(`[testbed] did not come up; ${SUPERVISOR_LOG}:\n${readFileSync(SUPERVISOR_LOG, 'utf8').trimEnd()}`);
      if (exited === undefined && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      return 1;
    }
    await sleep(200);
  }
  const env = readEnv(ENV_PATH);
  console.log(JSON.stringify(env, null, 2));
  console.error(`[testbed] up in ${env.startMs} ms; logs in ${env.logDir}`);
  return 0;
}

async function status(): Promise<number> {
  const env = liveEnv();
  if (env === undefined) {
    const stale = staleEnv();
    const left = stale === undefined ? [] : bedProcesses(stale.dir);
    if (left.length > 0)
      console.log(`[testbed] down, but its owner died and left ${left.length} processes; \`npm run testbed -- down\` clears them`);
    else console.log(`[testbed] down (${existsSync(ENV_PATH) ? `stale ${ENV_PATH}` : `no ${ENV_PATH}`})`);
    return 1;
  }
  console.log(`[testbed] up since ${env.startedAt}, owner pid ${env.ownerPid}, env ${ENV_PATH}`);
  // The bed itself knows which servers run now (a restarted one has a new pid).
  const servers = (await controlRequest(env, 'GET', '/servers')) as { name: string; running: boolean; pid?: number }[];
  let healthy = true;
  for (const server of servers) {
    const alive = server.running && (server.pid === undefined || groupAlive(server.pid));
    healthy &&= alive;
    console.log(`  ${alive ? 'running' : 'STOPPED'}  ${server.name.padEnd(24)}${server.pid === undefined ? '' : ` pid ${server.pid}`}`);
  }
  console.log(
    `  api server ${env.apiServerUrl}${env.idp === undefined ? '' : `, IdP ${env.idp.issuer}`}${env.imUrl === undefined ? '' : `, IM ${env.imUrl}`}`,
  );
  if (env.realNodes !== undefined) {
    const mib = (bytes: number): string => `${Math.round(bytes / 1048576)} MiB`;
    for (const node of nodeMemory(env.realNodes.record)) {
      const parts = Object.entries(node.rss).map(([program, bytes]) => `${program} ${mib(bytes)}`);
      console.log(`  real node ${node.node}: ${mib(node.total)} resident (${parts.join(', ')})`);
    }
  }
  console.log(`  logs ${env.logDir}`);
  return healthy ? 0 : 1;
}

async function down(): Promise<number> {
  const env = staleEnv();
  if (env !== undefined) {
    try {
      process.kill(env.ownerPid, 'SIGTERM');
    } catch {
      // the supervisor is already gone; its processes are cleared below
    }
    const deadline = Date.now() + 60_000;
    while (alive(env.ownerPid) && Date.now() < deadline) await sleep(100);
    const record = env.realNodes?.record;
    await clearBed(env.dir, record);
    const left = await bedLeftovers(env.dir, record);
    await rm(ENV_PATH, { force: true });
    if (left.length > 0) {
      console.error(`[testbed] left after down: ${left.join(', ')}`);
      return 1;
    }
    console.log(
      `[testbed] down: ${env.processes.length} server processes stopped, none left${record === undefined ? '' : '; no shim, cgroup, mount or bed network of the real nodes left'}`,
    );
  } else {
    console.log('[testbed] was not up');
  }
  await sweepStaleBeds();
  return 0;
}

async function serverRequest(env: TestbedEnv, args: string[]): Promise<unknown> {
  const [name, action] = args;
  if (name === undefined || name === 'list') return controlRequest(env, 'GET', '/servers');
  if (action !== 'stop' && action !== 'start' && action !== 'restart') throw new Error('usage: server <name> stop|start|restart');
  return controlRequest(env, 'POST', `/servers/${name}/${action}`);
}

/** The env of a bed whose owner process still runs. */
function liveEnv(): TestbedEnv | undefined {
  try {
    const env = readEnv(ENV_PATH);
    return alive(env.ownerPid) ? env : undefined;
  } catch {
    return undefined;
  }
}

function staleEnv(): TestbedEnv | undefined {
  try {
    return readEnv(ENV_PATH);
  } catch {
    return undefined;
  }
}

function currentEnv(): TestbedEnv {
  const env = liveEnv();
  if (env === undefined) throw new Error(`the test bed is not up (${ENV_PATH}); start it with \`npm run testbed -- up\``);
  return env;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function print(value: unknown): number {
  console.log(JSON.stringify(value, null, 2));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[testbed] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
