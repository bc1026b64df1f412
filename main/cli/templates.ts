/** afp templates: the catalogue, as a table or as JSON. */
import type { LoadedTemplate } from '../catalogue/template';
import { EXIT_FAILURE, EXIT_OK, stringsOption, type CliCommand, type CliOption } from './command';
import { printProblems } from './print';
import { cliProfile, PROFILE_OPTION } from './profile-option';
import { profileCatalogue, TEMPLATE_OPTIONS } from './template-input';

export const templatesCommand: CliCommand = {
  summary: "List the templates (built-in, the site profile's and from --templates folders)",
  positionals: { usage: '', min: 0, max: 0 },
  options: {
    json: { type: 'boolean', help: 'Print JSON: templates with their parameters and presets, and load errors' },
    templates: TEMPLATE_OPTIONS.templates as CliOption,
    profile: PROFILE_OPTION,
  },
  async run({ options, io }) {
    const catalogue = await profileCatalogue(await cliProfile(options, io.cwd), stringsOption(options, 'templates'), io.cwd);
    if (options.json === true) {
      io.stdout.write(`${JSON.stringify({ templates: catalogue.templates.map(describe), errors: catalogue.errors }, null, 2)}\n`);
    } else {
      const rows = catalogue.templates.map((t) => [
        t.name,
        t.spec.metadata.version,
        t.origin,
        t.presets.map((p) => p.name).join(','),
        t.spec.metadata.title,
      ]);
      const header = ['NAME', 'VERSION', 'SOURCE', 'PRESETS', 'TITLE'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
      for (const row of [header, ...rows])
        io.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}\n`);
      printProblems(io, catalogue.errors);
    }
    return catalogue.errors.length > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};

function describe(template: LoadedTemplate): Record<string, unknown> {
  const { metadata } = template.spec;
  return {
    name: template.name,
    title: metadata.title,
    description: metadata.description ?? '',
    version: metadata.version,
    origin: template.origin,
    file: template.file,
    parameters: template.parameters,
    presets: template.presets,
    components: Object.keys(template.spec.components),
  };
}
