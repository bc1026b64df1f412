/**
 * `afp fit <template|manifests> [--values FILE] [--set k=v]…
 *          (--kubeconfig FILE [--context C] | --profile FILE) [--json]`
 * Predicts whether every pod would schedule. Exit 0: all fit; 3: some would
 * stay Pending (reasons printed per pod); 1: an error.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { AfpError, formatError, toApiError } from '../errors';
import { predictFit, type FitReport } from '../capacity/fit';
import { fitReportText } from '../capacity/fit-text';
import { looksLikeManifests, planPodsFromManifests } from '../capacity/manifest-pods';
import { podsFromPlan, type PlanPod } from '../capacity/plan-pods';
import type { Values } from '../capacity/sizing';
import { withValue } from '../capacity/sizing';
import type { ClusterSnapshot } from '../capacity/snapshot';
import { snapshotFromCluster } from '../capacity/snapshot-cluster';
import { snapshotFromProfile } from '../capacity/snapshot-profile';
import { loadProfileFile } from '../site/profile-load';

export interface FitIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths are read from here. */
  cwd: string;
}

/** Renders a template (by name or path) with values into its pod demands. */
export type TemplatePods = (template: string, values: Values, cwd: string) => Promise<PlanPod[]>;

export interface FitDeps {
  templatePods?: TemplatePods;
}

export const EXIT_FITS = 0;
export const EXIT_ERROR = 1;
export const EXIT_PENDING = 3;

export const FIT_USAGE =
  'usage: afp fit <template|manifests> [--values FILE] [--set key=value]… (--kubeconfig FILE [--context NAME] | --profile FILE) [--json]';

interface FitArgs {
  target: string;
  valuesFile?: string;
  sets: string[];
  kubeconfig?: string;
  context?: string;
  profile?: string;
  json: boolean;
}

function parseFitArgs(args: readonly string[]): FitArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        values: { type: 'string' },
        set: { type: 'string', multiple: true },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new AfpError('invalid_input', `${error instanceof Error ? error.message : String(error)}\n${FIT_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new AfpError('invalid_input', `name one template or manifest file\n${FIT_USAGE}`);
  if ((values.kubeconfig === undefined) === (values.profile === undefined)) {
    throw new AfpError('invalid_input', `give either --kubeconfig (a live cluster) or --profile (declared capacity)\n${FIT_USAGE}`);
  }
  if (values.context !== undefined && values.kubeconfig === undefined) throw new AfpError('invalid_input', '--context needs --kubeconfig', { field: 'context' });
  const out: FitArgs = { target: positionals[0] as string, sets: values.set ?? [], json: values.json ?? false };
  if (values.values !== undefined) out.valuesFile = values.values;
  if (values.kubeconfig !== undefined) out.kubeconfig = values.kubeconfig;
  if (values.context !== undefined) out.context = values.context;
  if (values.profile !== undefined) out.profile = values.profile;
  return out;
}

async function readValues(file: string | undefined, sets: readonly string[], cwd: string): Promise<Values> {
  let values: Values = {};
  if (file !== undefined) {
    const absolute = path.resolve(cwd, file);
    const text = await readFile(absolute, 'utf8').catch((error: unknown) => {
      throw new AfpError('not_found', `cannot read the values file: ${error instanceof Error ? error.message : String(error)}`, { file: absolute });
    });
    const parsed: unknown = parseYaml(text);
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new AfpError('invalid_input', 'the values file must be a YAML mapping of parameter names to values', { file: absolute });
    }
    values = (parsed ?? {}) as Values;
  }
  for (const assignment of sets) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new AfpError('invalid_input', `--set takes key=value, got "${assignment}"`, { field: 'set' });
    // YAML typing of the value, as Helm does: 8 is a number, true a boolean, 4Gi a string.
    values = withValue(values, assignment.slice(0, equals), parseYaml(assignment.slice(equals + 1)) as unknown);
  }
  return values;
}

async function snapshotFor(args: FitArgs, cwd: string): Promise<{ snapshot: ClusterSnapshot; source: string }> {
  if (args.profile !== undefined) {
    const file = path.resolve(cwd, args.profile);
    const loaded = await loadProfileFile(file, 'cli');
    if (!loaded.ok) throw errorFromShape(loaded.errors[0] ?? { code: 'invalid_profile', message: 'invalid site profile', file });
    const capacity = loaded.active.profile.capacity;
    if (!capacity) throw new AfpError('invalid_profile', 'the site profile declares no capacity: add a `capacity: { nodes: [...] }` section', { file });
    return { snapshot: snapshotFromProfile(capacity), source: `site profile ${file}` };
  }
  const file = path.resolve(cwd, args.kubeconfig as string);
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(file);
  } catch (error) {
    throw new AfpError('invalid_kubeconfig', `cannot load the kubeconfig: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  if (args.context !== undefined) {
    if (!kubeConfig.getContextObject(args.context)) {
      throw new AfpError('invalid_kubeconfig', `no context "${args.context}" (contexts: ${kubeConfig.getContexts().map((context) => context.name).join(', ')})`, { file, field: 'context' });
    }
    kubeConfig.setCurrentContext(args.context);
  }
  const snapshot = await snapshotFromCluster(kubeConfig);
  return { snapshot, source: `cluster ${kubeConfig.getCurrentCluster()?.server ?? kubeConfig.getCurrentContext()}` };
}

function errorFromShape(shape: ReturnType<typeof toApiError>): AfpError {
  return new AfpError(shape.code, shape.message, shape);
}

async function podsFor(args: FitArgs, values: Values, cwd: string, deps: FitDeps): Promise<PlanPod[]> {
  const target = path.resolve(cwd, args.target);
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists && (await looksLikeManifests(target))) {
    if (args.valuesFile !== undefined || args.sets.length > 0) throw new AfpError('invalid_input', 'values apply to templates, not to Kubernetes manifests', { file: target });
    return planPodsFromManifests(target);
  }
  if (!deps.templatePods) {
    throw new AfpError('unsupported', `fitting a template needs the template renderer, which this build does not include yet; fit exported manifests instead (afp export ${args.target} --format kube -o DIR, then afp fit DIR)`);
  }
  return deps.templatePods(args.target, values, cwd);
}

function printReport(io: FitIo, args: FitArgs, report: FitReport, source: string): void {
  if (args.json) {
    io.stdout(`${JSON.stringify({ target: args.target, source, report }, null, 2)}\n`);
    return;
  }
  io.stdout(fitReportText(report, `Fit of ${args.target} on ${source} (${report.nodeCount} nodes):`));
}

export async function runFit(args: readonly string[], io: FitIo, deps: FitDeps = {}): Promise<number> {
  try {
    const parsed = parseFitArgs(args);
    const values = await readValues(parsed.valuesFile, parsed.sets, io.cwd);
    const [pods, { snapshot, source }] = await Promise.all([podsFor(parsed, values, io.cwd, deps), snapshotFor(parsed, io.cwd)]);
    const report = predictFit(snapshot, podsFromPlan(pods));
    printReport(io, parsed, report, source);
    return report.allFit ? EXIT_FITS : EXIT_PENDING;
  } catch (error) {
    const shape = toApiError(error);
    io.stderr(args.includes('--json') ? `${JSON.stringify({ error: shape })}\n` : `afp fit: ${formatError(shape)}\n`);
    return EXIT_ERROR;
  }
}
