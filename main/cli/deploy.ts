/**
 * afp deploy <template>: renders the template with the site profile and the
 * values given, and deploys it to the target chosen — a kubeconfig context
 * (server-side apply, then follow the pods), or IM or the dispatcher the
 * profile names (TOSCA with the signed-in user's token, then follow IM's
 * state) — one progress line per step on stderr. Ctrl-C cancels between
 * requests and leaves the inventory saying what was done.
 */
import path from 'node:path';
import type { TargetChoice } from '../environments/operations';
import { TARGETS, type TargetKind } from '../contract/plan';
import { isTargetKind, traitsOf } from '../targets/kinds/traits';
import { stringOption, UsageError, type CliCommand, type OptionValues } from './command';
import { openOperations, printProgress, report, untilDone, waitOption, TIMEOUT_OPTION, FORCE_CONFLICTS_OPTION } from './operations-cli';
import { templateInput, TEMPLATE_OPTIONS } from './template-input';

export { DEFAULT_WAIT } from './operations-cli';

export const deployCommand: CliCommand = {
  summary: 'Deploy a template to a Kubernetes context, or through IM or the dispatcher the site profile names',
  positionals: { usage: '<template>', min: 1, max: 1 },
  options: {
    ...TEMPLATE_OPTIONS,
    target: {
      type: 'string',
      arg: 'kube|im|dispatcher',
      help: "kube: a kubeconfig context (default); im, dispatcher: the site profile's, as the signed-in user (afp login)",
    },
    kubeconfig: {
      type: 'string',
      arg: 'FILE',
      help: "Kubeconfig file (default: the site profile's, else KUBECONFIG, else ~/.kube/config)",
    },
    context: { type: 'string', arg: 'NAME', help: "Kubeconfig context (default: the file's current context)" },
    name: { type: 'string', arg: 'ENV', help: 'Environment name, also its namespace (default: the template name)' },
    wait: { type: 'boolean', help: 'Wait until every pod is ready (IM: until IM says configured)' },
    timeout: TIMEOUT_OPTION,
    'force-conflicts': FORCE_CONFLICTS_OPTION,
  },
  details:
    "The environment is recorded in the inventory before the target is touched; `afp delete <name>` removes it, `afp status <name>` follows it, `afp logs <name>` shows IM's log.\n" +
    "With --target im or dispatcher, the site profile (--profile, AFP_PROFILE or the system-wide one) names IM or the dispatcher; the review's capability check runs first and refuses what IM cannot create.\n" +
    'Exit 0: deployed (and ready with --wait); 1: failed, refused or cancelled; 2: usage.',
  async run({ options, positionals, io }) {
    const waitMs = waitOption(options);
    const choice = targetChoice(options, io.cwd);
    const input = await templateInput(positionals[0] ?? '', options, io.cwd);
    const name = stringOption(options, 'name');
    const cli = await openOperations(input.catalogue, () => choice, input.profile);
    const { operations } = cli;
    const stop = printProgress(operations, io, Date.now());
    try {
      const handle = await operations.deploy({
        template: input.template.name,
        values: input.values,
        valuesOrigin: input.origin,
        target: choice,
        ...(name === undefined ? {} : { name }),
        ...(waitMs === undefined ? {} : { waitForReadyMs: waitMs }),
        ...(options['force-conflicts'] === true ? { forceConflicts: true } : {}),
      });
      io.stderr.write(
        `Deploying ${input.template.name} as environment "${handle.name}" (id ${handle.environmentId}, operation ${handle.operationId})\n`,
      );
      const result = await untilDone(operations, handle, io);
      const traits = traitsOf(choice.kind);
      const code = report(result, io, `Environment ${handle.name} ${waitMs === undefined ? traits.accepted : 'is ready'}`);
      if (code === 0 && traits.logs)
        io.stdout.write(`  afp status ${handle.name} shows its state and links; afp logs ${handle.name} shows IM's log.\n`);
      return code;
    } finally {
      stop();
      cli.close();
    }
  },
};

/** --target with its kube options; kube options with another target are a usage mistake. */
export function targetChoice(options: OptionValues, cwd: string): TargetChoice {
  const kind = stringOption(options, 'target') ?? TARGETS[0];
  if (!isTargetKind(kind)) throw new UsageError(`--target takes ${TARGETS.join(', ')}, got ${JSON.stringify(kind)}`);
  const given = stringOption(options, 'kubeconfig');
  const context = stringOption(options, 'context');
  if (!traitsOf(kind).kubeconfig) {
    if (given !== undefined || context !== undefined) throw new UsageError(`--kubeconfig and --context go with --target kube, not ${kind}`);
    if (options['force-conflicts'] === true) throw new UsageError('--force-conflicts goes with --target kube');
    return { kind: kind as Exclude<TargetKind, 'kube'> };
  }
  return {
    kind: 'kube',
    ...(given === undefined ? {} : { kubeconfig: path.resolve(cwd, given) }),
    context,
  };
}
