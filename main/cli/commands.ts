/** Every `afp` subcommand, by name: adding one is a file in main/cli/ and a line here. */
import type { CliCommand } from './command';
import { exportCommand } from './export';
import { templatesCommand } from './templates';
import { validateCommand } from './validate';

export const COMMANDS: Record<string, CliCommand> = {
  export: exportCommand,
  validate: validateCommand,
  templates: templatesCommand,
};
