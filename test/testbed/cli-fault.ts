/**
 * The `fault` subcommand of the test bed CLI: turns words into requests to the
 * bed's control endpoint (fault/control.ts).
 */
import type { TestbedEnv } from './env';
import type { CutOptions, FaultSettings, HttpErrorRule } from './fault/proxy';

export async function controlRequest(env: TestbedEnv, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${env.proxies.control}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const answer: unknown = await response.json();
  if (!response.ok) {
    const message = (answer as { message?: unknown }).message;
    throw new Error(typeof message === 'string' ? message : `control endpoint answered HTTP ${response.status}`);
  }
  return answer;
}

export async function faultRequest(env: TestbedEnv, args: string[]): Promise<unknown> {
  const [proxy, action, ...rest] = args;
  if (proxy === undefined || proxy === 'list') return controlRequest(env, 'GET', '/proxies');
  const base = `/proxies/${proxy}`;
  const options = parseOptions(rest);
  const settings = (change: Partial<FaultSettings>): Promise<unknown> => controlRequest(env, 'POST', `${base}/settings`, change);
  switch (action) {
    case undefined:
    case 'show':
      return controlRequest(env, 'GET', base);
    case 'clear':
    case 'pause':
    case 'resume':
    case 'reset':
      return controlRequest(env, 'POST', `${base}/${action}`);
    case 'latency': {
      const up = number(options.positional[0], 'latency in ms');
      const down = options.positional[1] === undefined ? up : number(options.positional[1], 'latency down in ms');
      return settings({ latencyMs: { up, down } });
    }
    case 'bandwidth':
      return settings({ bandwidthBytesPerSecond: bytes(options.positional[0]) });
    case 'refuse':
      return settings({ refuseConnections: options.positional[0] !== 'off' });
    case 'cut': {
      if (options.named.every !== undefined) {
        return settings({
          cutEverySeconds: number(options.named.every, '--every'),
          cutMinAgeMs: number(options.named['min-age'] ?? '1000', '--min-age'),
        });
      }
      const cut: CutOptions = { reset: options.flags.has('reset'), all: options.flags.has('all') };
      if (options.named['min-age'] !== undefined) cut.minAgeMs = number(options.named['min-age'], '--min-age');
      return controlRequest(env, 'POST', `${base}/cut`, cut);
    }
    case 'error': {
      const rule: HttpErrorRule = { status: number(options.positional[0], 'HTTP status') };
      if (options.named.path !== undefined) rule.path = options.named.path;
      if (options.named.method !== undefined) rule.method = options.named.method;
      if (options.named.times !== undefined) rule.times = number(options.named.times, '--times');
      const current = (await controlRequest(env, 'GET', base)) as { settings: FaultSettings };
      return settings({ httpErrors: [...current.settings.httpErrors, rule] });
    }
    default:
      throw new Error(`unknown fault action "${action}"; see \`npm run testbed -- help\``);
  }
}

interface Options {
  positional: string[];
  named: Record<string, string>;
  flags: Set<string>;
}

const VALUED = new Set(['every', 'min-age', 'path', 'method', 'times']);

function parseOptions(args: string[]): Options {
  const options: Options = { positional: [], named: {}, flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      options.positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (VALUED.has(name)) {
      const value = args[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      options.named[name] = value;
    } else options.flags.add(name);
  }
  return options;
}

function number(text: string | undefined, what: string): number {
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value < 0) throw new Error(`${what}: expected a number, got "${text ?? ''}"`);
  return value;
}

function bytes(text: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(text ?? '');
  if (match === null) throw new Error(`bandwidth: expected bytes per second like 100k or 1m, got "${text ?? ''}"`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * scale);
}
