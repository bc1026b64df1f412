/**
 * afp fit <template|manifests>: would every pod of the plan schedule on the
 * cluster as it is now (--kubeconfig) or on the capacity the site profile
 * declares? The template is rendered under the site profile (--profile,
 * AFP_PROFILE or the system-wide one) as the app and `afp deploy` render it:
 * its defaults, ranges and locks. Exit 0: all fit; 3: some would stay
 * Pending, with the scheduler's reason per pod; 1: an error; 2: a usage mistake.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fitPods, readCapacity, type CapacityReading } from '../app/capacity-source';
import type { FitReport } from '../capacity/fit';
import { fitSummary } from '../capacity/fit-summary';
import { fitReportText } from '../capacity/fit-text';
import { looksLikeManifests, planPodsFromManifests } from '../capacity/manifest-pods';
import type { PlanPod } from '../capacity/plan-pods';
import { renderPlan } from '../render/plan';
import type { ActiveProfile } from '../site/active-profile';
import { EXIT_OK, stringOption, stringsOption, UsageError, type CliCommand, type CliIo, type OptionValues } from './command';
import { cliProfile } from './profile-option';
import { templateInput, TEMPLATE_OPTIONS } from './template-input';

export const EXIT_PENDING = 3;

/** --kubeconfig (and --context) read a live cluster; without them, the capacity the site profile declares. */
function sourceFor(options: OptionValues, profile: ActiveProfile | null, cwd: string): CapacityReading {
  const kubeconfig = stringOption(options, 'kubeconfig');
  const context = stringOption(options, 'context');
  if (context !== undefined && kubeconfig === undefined) throw new UsageError('--context needs --kubeconfig');
  if (kubeconfig !== undefined) return readCapacity({ kind: 'cluster', kubeconfig: path.resolve(cwd, kubeconfig), context }, profile);
  if (profile === null)
    throw new UsageError('give --kubeconfig FILE (a live cluster), or a site profile that declares its capacity (--profile FILE)');
  return readCapacity({ kind: 'profile' }, profile);
}

async function isManifests(target: string): Promise<boolean> {
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  return exists && looksLikeManifests(target);
}

/** The pods to place, and for a template the namespace its environment would run in (its own pods there are handed back). */
async function planPodsFor(arg: string, options: OptionValues, cwd: string): Promise<{ pods: PlanPod[]; namespace?: string }> {
  if (await isManifests(path.resolve(cwd, arg))) {
    if (stringOption(options, 'values') !== undefined || stringsOption(options, 'set').length > 0)
      throw new UsageError('--values and --set apply to templates, not to Kubernetes manifests');
    return { pods: await planPodsFromManifests(path.resolve(cwd, arg)) };
  }
  const input = await templateInput(arg, options, cwd);
  const plan = renderPlan({
    template: input.template,
    values: input.values,
    valuesOrigin: input.origin,
    environment: { name: input.template.name },
    ...(input.links === undefined ? {} : { links: input.links }),
    ...input.site,
  });
  return { pods: plan.pods, namespace: plan.environment.namespace };
}

function print(io: CliIo, target: string, report: FitReport, source: string, json: boolean): void {
  // `summary` holds the counts the Configure page shows, from the same function.
  if (json) io.stdout.write(`${JSON.stringify({ target, source, summary: fitSummary(report), report }, null, 2)}\n`);
  else io.stdout.write(fitReportText(report, `Fit of ${target} on ${source} (${report.nodeCount} nodes):`));
}

export const fitCommand: CliCommand = {
  summary: 'Predict whether every pod of a template would schedule now, and why not',
  positionals: { usage: '<template|manifests>', min: 1, max: 1 },
  options: {
    ...TEMPLATE_OPTIONS,
    kubeconfig: { type: 'string', arg: 'FILE', help: 'Read the cluster as it is now through this kubeconfig' },
    context: { type: 'string', arg: 'NAME', help: 'Kubeconfig context to use (default: its current context)' },
    json: { type: 'boolean', help: 'Print the whole fit report as JSON' },
  },
  details:
    'The template is a name from the catalogue, a template file, or Kubernetes manifests (a YAML file or folder, e.g. what afp export wrote).\n' +
    "Without --kubeconfig, the capacity is the one the site profile declares. The profile's defaults, ranges and locks apply to the template as in the app.\n" +
    "Exit status: 0 every pod fits; 3 some pods would stay Pending (the scheduler's reason is printed for each); 1 an error; 2 a usage mistake.",
  async run({ options, positionals, io }) {
    const target = positionals[0] ?? '';
    const profile = await cliProfile(options, io.cwd);
    const source = sourceFor(options, profile, io.cwd);
    const [planned, snapshot] = await Promise.all([planPodsFor(target, options, io.cwd), source.read()]);
    const { report } = fitPods(snapshot, planned.pods, planned.namespace);
    print(io, target, report, source.origin, options.json === true);
    return report.allFit ? EXIT_OK : EXIT_PENDING;
  },
};
