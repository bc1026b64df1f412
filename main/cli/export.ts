/**
 * afp export <template>: the same Plan the app would deploy, written as
 * Kubernetes manifests (one multi-document YAML, objects in wave order) or as
 * TOSCA for IM. Nothing is written unless everything rendered.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { AfpError } from '../errors';
import { EXPORT_FORMATS, exportTarget, exportText, isExportFormat } from '../app/export-plan';
import { renderPlan } from '../render/plan';
import { EXIT_OK, stringOption, UsageError, type CliCommand } from './command';
import { writeWhole } from '../fs/whole-file';
import { templateInput, TEMPLATE_OPTIONS } from './template-input';

export const exportCommand: CliCommand = {
  summary: 'Render a template to Kubernetes manifests or TOSCA, offline',
  positionals: { usage: '<template>', min: 1, max: 1 },
  options: {
    ...TEMPLATE_OPTIONS,
    format: { type: 'string', arg: 'kube|tosca', help: 'kube: multi-document YAML for kubectl (default); tosca: for IM' },
    output: { type: 'string', short: 'o', arg: 'DIR|-', help: 'Folder to write into, or - for standard output (default)' },
    name: { type: 'string', arg: 'ENV', help: 'Environment name, also its namespace (default: the template name)' },
    namespace: { type: 'string', arg: 'NS', help: 'Namespace, when it differs from the environment name' },
    'ingress-domain': {
      type: 'string',
      arg: 'DOMAIN',
      help: "Expose ingress ports as <service>-<namespace>.DOMAIN (default: the site profile's)",
    },
    tls: { type: 'boolean', help: "Ingress with TLS (https links; default: the site profile's)" },
    secrets: { type: 'string', arg: 'FILE', help: 'Keep generated secrets in this YAML file: read if present, written back (mode 0600)' },
  },
  details:
    'The template is a name from the catalogue (see afp templates) or a path to a template file. A site profile applies as in the app: its templates, defaults and link policy; a setting it locks cannot be changed with --set or --values.',
  async run({ options, positionals, io }) {
    const format = stringOption(options, 'format') ?? 'kube';
    if (!isExportFormat(format)) throw new UsageError(`--format takes ${EXPORT_FORMATS.join(' or ')}, got ${JSON.stringify(format)}`);
    const output = stringOption(options, 'output') ?? '-';
    const input = await templateInput(positionals[0] ?? '', options, io.cwd);
    const { template } = input;
    const secretsFile = stringOption(options, 'secrets');
    const kept = secretsFile === undefined ? {} : await readSecrets(path.resolve(io.cwd, secretsFile));
    const name = stringOption(options, 'name') ?? template.name;
    const namespace = stringOption(options, 'namespace');
    const domain = stringOption(options, 'ingress-domain');
    const plan = renderPlan({
      template,
      values: input.values,
      valuesOrigin: input.origin,
      environment: { name, ...(namespace === undefined ? {} : { namespace }) },
      secrets: kept,
      target: exportTarget(format),
      links: { ...input.links, ...(domain === undefined ? {} : { ingressDomain: domain }), ...(options.tls === true ? { tls: true } : {}) },
      ...input.site,
    });
    const { fileName: file, text } = exportText(plan, format, (item) =>
      io.stderr.write(`${item.severity === 'refused' ? 'refused' : 'note'}: ${item.object}: ${item.reason}\n`),
    );
    if (secretsFile !== undefined) await writeWhole(path.resolve(io.cwd, secretsFile), secretsYaml(plan.generatedSecrets), 0o600);
    if (output === '-') {
      io.stdout.write(text);
    } else {
      const target = path.resolve(io.cwd, output, file);
      await writeWhole(target, text);
      const relative = path.relative(io.cwd, target);
      io.stdout.write(`wrote ${relative.startsWith('..') || relative === '' ? target : relative}\n`);
    }
    return EXIT_OK;
  },
};

async function readSecrets(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AfpError('unavailable', `cannot read the secrets file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
  const value: unknown = parse(text);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw new AfpError('invalid_input', 'a secrets file maps "secret.key" to its value', { file });
  }
  return value as Record<string, string>;
}

function secretsYaml(secrets: Record<string, string>): string {
  const header = '# Generated secrets of an AF Provisioner environment. Keep this file private.\n';
  return (
    header +
    Object.entries(secrets)
      .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}\n`)
      .join('')
  );
}
