/** --help text, made from the command table so it cannot drift from the options. */
import type { CliCommand } from './command';

export function programHelp(commands: Readonly<Record<string, CliCommand>>): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Usage: afp <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun afp <command> --help for a command's options.\n`;
}

export function commandHelp(name: string, command: CliCommand): string {
  const options = Object.entries(command.options).map(([option, spec]) => {
    const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${option}${spec.arg === undefined ? '' : ` ${spec.arg}`}`;
    return [flag, spec.help] as const;
  });
  options.push(['    --help', 'Show this help'] as const);
  const width = Math.max(...options.map(([flag]) => flag.length));
  const usage = `Usage: afp ${name}${command.positionals.usage === '' ? '' : ` ${command.positionals.usage}`} [options]`;
  const details = command.details === undefined ? '' : `\n${command.details}\n`;
  return `${usage}\n\n${command.summary}.\n${details}\nOptions:\n${options.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`).join('\n')}\n`;
}
