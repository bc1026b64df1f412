/** Every `afp` subcommand, by name: adding one is a file in main/cli/ and a line here. */
import type { CliCommand } from './command';
import { credentialsCommand } from './credentials';
import { deleteCommand } from './delete';
import { deployCommand } from './deploy';
import { exportCommand } from './export';
import { fitCommand } from './fit';
import { forgetCommand } from './forget';
import { kubeTokenCommand } from './kube-token';
import { listCommand } from './list';
import { logsCommand } from './logs';
import { openCommand } from './open';
import { statusCommand } from './status';
import { loginCommand } from './login';
import { logoutCommand } from './logout';
import { resumeCommand } from './resume';
import { templatesCommand } from './templates';
import { updateCommand } from './update';
import { validateCommand } from './validate';
import { whoamiCommand } from './whoami';

export const COMMANDS: Record<string, CliCommand> = {
  export: exportCommand,
  deploy: deployCommand,
  update: updateCommand,
  resume: resumeCommand,
  delete: deleteCommand,
  forget: forgetCommand,
  list: listCommand,
  status: statusCommand,
  logs: logsCommand,
  open: openCommand,
  credentials: credentialsCommand,
  fit: fitCommand,
  validate: validateCommand,
  templates: templatesCommand,
  login: loginCommand,
  logout: logoutCommand,
  whoami: whoamiCommand,
  'kube-token': kubeTokenCommand,
};
