/**
 * The floors of main/: folders listed from the bottom up, each of which may
 * import only its own floor or a lower one, and no import loops (neither
 * between files nor between the folders the picture draws). dependency-cruiser
 * reads the imports (type-only ones too) and judges the rules; the same cruise
 * draws the picture in docs/architecture.md, so the picture and the check
 * cannot disagree.
 *
 *   npx tsx scripts/floors.ts          checks, and rewrites the picture (npm run floors)
 *   npx tsx scripts/floors.ts --check  checks only (npm test runs this)
 *   npx tsx scripts/floors.ts --check --root <dir>  checks another copy of the project (e.g. an older commit, from git archive)
 *
 * A new folder under main/ must be given a floor here, or the check fails.
 */
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Floor {
  name: string;
  /** What lives there, for the picture's reader. */
  what: string;
  /** Folders (ending in '/') and single files, relative to the project root. */
  rooms: string[];
}

/** Bottom first. */
export const FLOORS: Floor[] = [
  { name: 'base', what: 'errors, messages, logging, paths', rooms: ['main/errors.ts', 'main/log.ts', 'main/paths.ts', 'main/messages/'] },
  { name: 'contract', what: 'requests, events and their schemas', rooms: ['main/contract/', 'main/api.ts', 'main/events.ts'] },
  { name: 'fs', what: 'whole-file writes, locks, process checks, the key-value store', rooms: ['main/fs/', 'main/store/'] },
  { name: 'kube', what: 'the Kubernetes client: kubeconfig, connection, errors, retry, backoff, list and watch', rooms: ['main/kube/'] },
  { name: 'inventory', what: 'the environments on disk: records, migrations, the locked file', rooms: ['main/inventory/'] },
  {
    name: 'documents',
    what: 'templates, site profiles, plans and the capacity fit',
    rooms: ['main/yaml/', 'main/catalogue/', 'main/render/', 'main/capacity/', 'main/site/'],
  },
  {
    name: 'services',
    what: 'sign-in, targets, live status, settings, the bridges',
    rooms: [
      'main/shell/',
      'main/bridge/',
      'main/auth/',
      'main/tracking/',
      'main/targets/',
      'main/targets/kinds/',
      'main/targets/kube/',
      'main/targets/im/',
      'main/targets/dispatcher/',
      'main/settings/',
    ],
  },
  { name: 'core', what: 'the use cases the app, the preview and the CLI share', rooms: ['main/environments/', 'main/app/'] },
  {
    name: 'entry points',
    what: 'the Electron shell, the preview server, the afp commands',
    rooms: ['main/cli/', 'main/app.ts', 'main/cli.ts', 'main/index.ts', 'main/preview.ts', 'main/preview-main.ts'],
  },
];

export interface Place {
  floor: number;
  room: string;
}

/** The floor and room of a file (the innermost room that holds it), or undefined when it is on none. */
export function placeOf(file: string, floors: Floor[] = FLOORS): Place | undefined {
  let found: Place | undefined;
  for (const [floor, { rooms }] of floors.entries()) {
    for (const room of rooms) {
      const holds = room.endsWith('/') ? file.startsWith(room) : file === room;
      if (holds && (found === undefined || room.length > found.room.length)) found = { floor, room };
    }
  }
  return found;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const roomsPattern = (rooms: string[]): string => `^(${rooms.map((room) => escape(room) + (room.endsWith('/') ? '' : '$')).join('|')})`;

/** The rules, in dependency-cruiser's terms. A folder inside another is a room of the same floor (its own box in the picture). */
export function forbiddenRules(floors: Floor[] = FLOORS): IForbiddenRuleType[] {
  for (const [index, floor] of floors.entries()) {
    for (const room of floor.rooms) {
      const outer = placeOf(room, floors.slice(0, index).concat([{ ...floor, rooms: [] }], floors.slice(index + 1)));
      if (outer !== undefined) throw new Error(`${room} is inside ${outer.room}, on another floor`);
    }
  }
  const upward = floors.slice(0, -1).map((floor, index): IForbiddenRuleType => ({
    name: 'floor-upward',
    comment: `${floor.name} may import only its own floor or those below`,
    severity: 'error',
    from: { path: roomsPattern(floor.rooms) },
    to: { path: roomsPattern(floors.slice(index + 1).flatMap((above) => above.rooms)) },
  }));
  return [
    ...upward,
    { name: 'no-circular', comment: 'no import loops', severity: 'error', from: { path: '^main/' }, to: { circular: true } },
    {
      name: 'not-on-a-floor',
      comment: 'every file under main/ is on a floor (scripts/floors.ts)',
      severity: 'error',
      from: { path: '^main/', pathNot: roomsPattern(floors.flatMap((floor) => floor.rooms)) },
      to: {},
    },
  ];
}

export interface Problem {
  rule: string;
  from: string;
  to: string;
}

export interface FloorsReport {
  problems: Problem[];
  /** Imports between rooms: "from -> to" → how many file-to-file imports. */
  arrows: Map<string, number>;
  files: number;
}

/** Cruises `<root>/main` and judges it. */
export async function checkFloors(root: string, floors: Floor[] = FLOORS): Promise<FloorsReport> {
  const tsConfigFile = path.join(root, 'tsconfig.node.json');
  const hasTsConfig = exists(tsConfigFile);
  const { output } = await cruise(
    ['main'],
    {
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: forbiddenRules(floors) },
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      ...(hasTsConfig ? { tsConfig: { fileName: 'tsconfig.node.json' } } : {}),
    },
    { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    hasTsConfig ? { tsConfig: extractTSConfig(tsConfigFile) } : {},
  );
  const result = output as ICruiseResult;
  const problems: Problem[] = (result.summary.violations ?? []).map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.cycle === undefined ? violation.to : violation.cycle.map((step) => step.name).join(' → '),
  }));
  const arrows = new Map<string, number>();
  const modules = result.modules.filter((module) => module.source.startsWith('main/'));
  for (const module of modules) {
    const from = placeOf(module.source, floors);
    // A file with no imports escapes the rule above; it is on no floor all the same.
    if (from === undefined && module.dependencies.length === 0) problems.push({ rule: 'not-on-a-floor', from: module.source, to: '' });
    for (const dependency of module.dependencies) {
      const to = placeOf(dependency.resolved, floors);
      if (from === undefined || to === undefined || from.room === to.room) continue;
      const key = `${from.room} -> ${to.room}`;
      arrows.set(key, (arrows.get(key) ?? 0) + 1);
    }
  }
  for (const loop of roomLoops(arrows)) problems.push({ rule: 'no-circular-folders', from: loop[0] ?? '', to: loop.slice(1).join(' → ') });
  problems.push(...heavyBeforeFirstPaint(result.modules));
  return { problems, arrows, files: modules.length };
}

/** The programs that start the app: nothing heavy may load before their first paint (issue "Faster where users feel it"). */
export const START_ENTRIES = ['main/index.ts', 'main/preview-main.ts'];
/** Packages that take 50–300 ms to load; they are imported dynamically (main/app/on-demand.ts). */
const HEAVY_PACKAGE = /(?:^|\/)node_modules\/(?:@kubernetes\/client-node\/dist\/index\.js|kubernetes-models\/|json-e\/)/;
/** What the Catalogue loads (its marks and cluster status), kept apart from the app core so an app at rest does not hold it. */
export const CATALOGUE_ENTRY = 'main/app/catalogue-core.ts';
/** The Kubernetes client whole (about 50 MB resident); its small entry readers (dist/config_types.js) are allowed. */
const KUBERNETES_CLIENT = /(?:^|\/)node_modules\/@kubernetes\/client-node\/dist\/index\.js$/;

/** Each package matching `pattern` an entry reaches through static imports, with the chain that reaches it. */
function reachedStatically(modules: ICruiseResult['modules'], entries: string[], pattern: RegExp, rule: string): Problem[] {
  const bySource = new Map(modules.map((module) => [module.source, module]));
  const problems: Problem[] = [];
  for (const entry of entries) {
    const via = new Map<string, string | undefined>([[entry, undefined]]);
    const queue = [entry];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      for (const dependency of bySource.get(file)?.dependencies ?? []) {
        // A type-only import loads nothing; a dynamic one loads later, on first use.
        if (dependency.dynamic || dependency.dependencyTypes.includes('type-only') || via.has(dependency.resolved)) continue;
        via.set(dependency.resolved, file);
        if (pattern.test(dependency.resolved)) {
          const chain: string[] = [];
          for (let step: string | undefined = file; step !== undefined; step = via.get(step)) chain.unshift(step);
          problems.push({
            rule,
            from: entry,
            to: [...chain.slice(1), dependency.resolved.replace(/^.*?node_modules\//, 'node_modules/')].join(' → '),
          });
        } else queue.push(dependency.resolved);
      }
    }
  }
  return problems;
}

function heavyBeforeFirstPaint(modules: ICruiseResult['modules']): Problem[] {
  return [
    ...reachedStatically(modules, START_ENTRIES, HEAVY_PACKAGE, 'heavy-before-first-paint'),
    ...reachedStatically(modules, [CATALOGUE_ENTRY], KUBERNETES_CLIENT, 'kubernetes-client-on-the-catalogue'),
  ];
}

/** Loops between rooms (what the picture would show as arrows going round). */
export function roomLoops(arrows: Map<string, number>): string[][] {
  const next = new Map<string, string[]>();
  for (const key of arrows.keys()) {
    const [from = '', to = ''] = key.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const loops: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (room: string, trail: string[]): void => {
    state.set(room, 'open');
    for (const to of next.get(room) ?? []) {
      if (state.get(to) === 'open') loops.push([...trail.slice(trail.indexOf(to)), room, to]);
      else if (state.get(to) === undefined) visit(to, [...trail, room]);
    }
    state.set(room, 'done');
  };
  for (const room of [...next.keys()].sort()) if (state.get(room) === undefined) visit(room, []);
  return loops;
}

function exists(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARCHITECTURE_DOC = path.join(ROOT, 'docs', 'architecture.md');
const BEGIN = '<!-- floors: generated by `npm run floors` (scripts/floors.ts); do not edit by hand -->';
const END = '<!-- floors: end -->';

const nodeId = (room: string): string => room.replace(/^main\//, '').replace(/[^a-z0-9]/gi, '_');
const label = (room: string): string => room.replace(/^main\//, '');

/** The floors as a mermaid flowchart: top floor first, an arrow for each room that imports another. */
export function floorsPicture(arrows: Map<string, number>, floors: Floor[] = FLOORS): string {
  const lines = ['```mermaid', 'flowchart TB'];
  for (let index = floors.length - 1; index >= 0; index -= 1) {
    const floor = floors[index];
    if (floor === undefined) continue;
    lines.push(`  subgraph floor${index}["${index + 1} ${floor.name}: ${floor.what}"]`, '    direction LR');
    for (const room of floor.rooms) lines.push(`    ${nodeId(room)}["${label(room)}"]`);
    lines.push('  end');
  }
  for (const key of [...arrows.keys()].sort()) {
    const [from = '', to = ''] = key.split(' -> ');
    lines.push(`  ${nodeId(from)} --> ${nodeId(to)}`);
  }
  lines.push('```');
  return lines.join('\n');
}

/** docs/architecture.md with its floors section as the imports say it is. */
export function withPicture(doc: string, picture: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`${ARCHITECTURE_DOC} has no floors markers`);
  return `${doc.slice(0, start)}${BEGIN}\n\n${picture}\n\n${doc.slice(end)}`;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootAt = process.argv.indexOf('--root');
  const root = rootAt === -1 ? ROOT : path.resolve(process.argv[rootAt + 1] ?? '.');
  const report = await checkFloors(root);
  const upward = report.problems.filter((problem) => problem.rule === 'floor-upward').length;
  const loops = report.problems.filter((problem) => problem.rule.startsWith('no-circular')).length;
  for (const problem of report.problems) console.error(`${problem.rule}: ${problem.from} → ${problem.to}`);
  console.log(`floors: ${report.files} files, ${upward} upward imports, ${loops} loops, ${report.problems.length} problems in all`);
  if (!process.argv.includes('--check') && root === ROOT) {
    writeFileSync(ARCHITECTURE_DOC, withPicture(readFileSync(ARCHITECTURE_DOC, 'utf8'), floorsPicture(report.arrows)));
  }
  process.exitCode = report.problems.length === 0 ? 0 : 1;
}
