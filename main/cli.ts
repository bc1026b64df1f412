/**
 * The `afp` command line: `afp <command> [options]`, commands from
 * main/cli/commands.ts. Exit codes: 0 ok, 1 failure, 2 usage error.
 * Runnable directly: tsx main/cli.ts export dask --set workers=7
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS } from './cli/commands';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIo, type OptionValues } from './cli/command';
import { commandHelp, programHelp } from './cli/help';
import { printFailure } from './cli/print';

export type { CliIo } from './cli/command';

const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(programHelp(COMMANDS));
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    io.stdout.write(topic === undefined || rest[0] === undefined ? programHelp(COMMANDS) : commandHelp(rest[0], topic));
    return EXIT_OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`error: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}); run afp --help\n`);
    return EXIT_USAGE;
  }
  let parsed: { options: OptionValues; positionals: string[] };
  try {
    parsed = parse(command, rest);
  } catch (error) {
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\nRun afp ${name} --help for usage.\n`);
    return EXIT_USAGE;
  }
  if (parsed.options.help === true) {
    io.stdout.write(commandHelp(name, command));
    return EXIT_OK;
  }
  try {
    return await command.run({ ...parsed, io });
  } catch (error) {
    printFailure(io, error);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}

function parse(command: CliCommand, args: string[]): { options: OptionValues; positionals: string[] } {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  for (const [option, spec] of Object.entries(command.options)) {
    options[option] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  }
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
  if (values.help === true) return { options: values, positionals };
  const { min, max } = command.positionals;
  if (positionals.length < min) throw new UsageError(`missing ${command.positionals.usage}`);
  if (max !== undefined && positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}`);
  return { options: values, positionals };
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv.slice(2));
}
