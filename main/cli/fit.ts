/**
 * afp fit <template|manifests>: would every pod of the plan schedule on the
 * cluster as it is now (--kubeconfig) or on the site's declared capacity
 * (--profile)? Exit 0: all fit; 3: some would stay Pending, with the
 * scheduler's reason per pod; 1: an error; 2: a usage mistake.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AfpError } from '../errors';
import { predictFit, type FitReport } from '../capacity/fit';
import { fitReportText } from '../capacity/fit-text';
import { looksLikeManifests, planPodsFromManifests } from '../capacity/manifest-pods';
import { podsFromPlan, type PlanPod } from '../capacity/plan-pods';
import type { ClusterSnapshot } from '../capacity/snapshot';
import { snapshotFromCluster } from '../capacity/snapshot-cluster';
import { snapshotFromProfile } from '../capacity/snapshot-profile';
import { renderPlan } from '../render/plan';
import { loadProfileFile } from '../site/profile-load';
import { loadKubeconfig } from '../targets/kube/kubeconfig';
import { EXIT_OK, stringOption, stringsOption, UsageError, type CliCommand, type CliIo, type CliOption, type OptionValues } from './command';
import { TEMPLATE_OPTIONS } from './template-input';
import { resolveTemplate } from './template-arg';
import { readValues } from './values-input';

export const EXIT_PENDING = 3;

interface Source {
  snapshot: ClusterSnapshot;
  description: string;
}

async function clusterSource(file: string, context: string | undefined): Promise<Source> {
  // The app's own loader: merged files, relative paths, exec plugins and their messages, as everywhere else.
  const loaded = loadKubeconfig({ file });
  const chosen = context ?? loaded.currentContext;
  if (!loaded.contexts.some((entry) => entry.name === chosen)) {
    const known = loaded.contexts.map((entry) => entry.name).join(', ');
    throw new AfpError('invalid_kubeconfig', `no context "${chosen}" (contexts: ${known})`, { file, field: 'context' });
  }
  const kubeConfig = loaded.forContext(chosen);
  const snapshot = await snapshotFromCluster(kubeConfig);
  return { snapshot, description: `cluster ${kubeConfig.getCurrentCluster()?.server ?? chosen} (context ${chosen})` };
}

async function profileSource(file: string): Promise<Source> {
  const loaded = await loadProfileFile(file, 'cli');
  if (!loaded.ok) {
    const first = loaded.errors[0];
    throw new AfpError(first?.code ?? 'invalid_profile', first?.message ?? 'invalid site profile', { file: first?.file ?? file, ...(first?.line === undefined ? {} : { line: first.line }), ...(first?.field === undefined ? {} : { field: first.field }) });
  }
  const capacity = loaded.active.profile.capacity;
  if (!capacity) throw new AfpError('invalid_profile', 'the site profile declares no capacity: add a `capacity: { nodes: [...] }` section', { file });
  return { snapshot: snapshotFromProfile(capacity), description: `site profile ${file}` };
}

function sourceFor(options: OptionValues, cwd: string): Promise<Source> {
  const kubeconfig = stringOption(options, 'kubeconfig');
  const profile = stringOption(options, 'profile');
  const context = stringOption(options, 'context');
  if ((kubeconfig === undefined) === (profile === undefined)) throw new UsageError('give either --kubeconfig FILE (a live cluster) or --profile FILE (declared capacity)');
  if (context !== undefined && kubeconfig === undefined) throw new UsageError('--context needs --kubeconfig');
  return kubeconfig !== undefined ? clusterSource(path.resolve(cwd, kubeconfig), context) : profileSource(path.resolve(cwd, profile as string));
}

async function isManifests(target: string): Promise<boolean> {
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  return exists && looksLikeManifests(target);
}

async function planPodsFor(arg: string, options: OptionValues, cwd: string): Promise<PlanPod[]> {
  const valuesFile = stringOption(options, 'values');
  const sets = stringsOption(options, 'set');
  if (await isManifests(path.resolve(cwd, arg))) {
    if (valuesFile !== undefined || sets.length > 0) throw new UsageError('--values and --set apply to templates, not to Kubernetes manifests');
    return planPodsFromManifests(path.resolve(cwd, arg));
  }
  const template = await resolveTemplate(arg, stringsOption(options, 'templates'), cwd);
  const input = await readValues(template, valuesFile, sets, cwd);
  const plan = renderPlan({ template, values: input.values, valuesOrigin: input.origin, environment: { name: template.name } });
  return plan.pods;
}

function print(io: CliIo, target: string, report: FitReport, source: string, json: boolean): void {
  if (json) io.stdout.write(`${JSON.stringify({ target, source, report }, null, 2)}\n`);
  else io.stdout.write(fitReportText(report, `Fit of ${target} on ${source} (${report.nodeCount} nodes):`));
}

export const fitCommand: CliCommand = {
  summary: 'Predict whether every pod of a template would schedule now, and why not',
  positionals: { usage: '<template|manifests>', min: 1, max: 1 },
  options: {
    values: TEMPLATE_OPTIONS.values as CliOption,
    set: TEMPLATE_OPTIONS.set as CliOption,
    templates: TEMPLATE_OPTIONS.templates as CliOption,
    kubeconfig: { type: 'string', arg: 'FILE', help: 'Read the cluster as it is now through this kubeconfig' },
    context: { type: 'string', arg: 'NAME', help: 'Kubeconfig context to use (default: its current context)' },
    profile: { type: 'string', arg: 'FILE', help: "Use the capacity a site profile declares instead of a live cluster" },
    json: { type: 'boolean', help: 'Print the whole fit report as JSON' },
  },
  details:
    'The template is a name from the catalogue, a template file, or Kubernetes manifests (a YAML file or folder, e.g. what afp export wrote).\n' +
    'Exit status: 0 every pod fits; 3 some pods would stay Pending (the scheduler\'s reason is printed for each); 1 an error; 2 a usage mistake.',
  async run({ options, positionals, io }) {
    const target = positionals[0] ?? '';
    const [pods, source] = await Promise.all([planPodsFor(target, options, io.cwd), sourceFor(options, io.cwd)]);
    const report = predictFit(source.snapshot, podsFromPlan(pods));
    print(io, target, report, source.description, options.json === true);
    return report.allFit ? EXIT_OK : EXIT_PENDING;
  },
};
