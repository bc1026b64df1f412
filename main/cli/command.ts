/**
 * What a subcommand of `afp` is: its options (node:util parseArgs, each with
 * help text), its positionals and what it runs. Exit codes: 0 ok, 1 failure,
 * 2 usage error.
 */
import { AfpError } from '../errors';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Name of the option's argument in help, e.g. FILE. */
  arg?: string;
  help: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  summary: string;
  /** Positionals as shown in usage, e.g. "<template>" or "<file>...". */
  positionals: { usage: string; min: number; max?: number };
  options: Record<string, CliOption>;
  /** Extra paragraphs for --help. */
  details?: string;
  run(args: { options: OptionValues; positionals: string[]; io: CliIo }): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called (exit 2), as opposed to a problem with what it was given (exit 1). */
export class UsageError extends AfpError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'UsageError';
  }
}

export function stringOption(options: OptionValues, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringsOption(options: OptionValues, name: string): string[] {
  const value = options[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}
