/** afp validate <file>...: checks templates (and, through VALIDATORS, other documents) without deploying anything. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiErrorShape } from '../errors';
import { parseYamlSource } from '../yaml/parse';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from './command';
import { printProblems } from './print';
import { VALIDATORS } from './validators';

export const validateCommand: CliCommand = {
  summary: 'Check template files (every problem with file, line and field)',
  positionals: { usage: '<file>...', min: 1 },
  options: {},
  details: `A template must also render with its defaults and with each preset. Kinds checked: ${Object.keys(VALIDATORS).join(', ')}.`,
  async run({ positionals, io }) {
    let failed = false;
    for (const arg of positionals) {
      const errors = await validateFile(path.resolve(io.cwd, arg), arg);
      if ('summary' in errors) {
        io.stdout.write(`ok: ${arg}: ${errors.summary}\n`);
      } else {
        failed = true;
        printProblems(io, errors.problems);
      }
    }
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};

async function validateFile(file: string, shown: string): Promise<{ summary: string } | { problems: ApiErrorShape[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      problems: [
        { code: 'not_found', message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, file: shown },
      ],
    };
  }
  const parsed = parseYamlSource(text, shown, 'invalid_input');
  if (!parsed.ok) return { problems: parsed.errors };
  const kind = (parsed.source.value as { kind?: unknown } | null)?.kind;
  const validator = typeof kind === 'string' ? VALIDATORS[kind] : undefined;
  if (validator === undefined) {
    const line = parsed.source.lineOf(['kind']);
    return {
      problems: [
        {
          code: 'invalid_input',
          message: `kind ${JSON.stringify(kind ?? null)} is not one afp validate knows (${Object.keys(VALIDATORS).join(', ')})`,
          file: shown,
          field: 'kind',
          line,
        },
      ],
    };
  }
  const result = await validator(text, shown);
  if (result.errors.length > 0) return { problems: result.errors };
  return { summary: result.summary ?? 'valid' };
}
