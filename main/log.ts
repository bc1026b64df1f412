/**
 * A tiny leveled logger. Secrets never reach it: callers log ids and messages,
 * and `redact` scrubs anything registered as secret (tokens, passwords).
 */
export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

const secrets = new Set<string>();

/** Registers a value that must never appear in a log line or an error message. */
export function registerSecret(value: string): void {
  if (value.length >= 8) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` ${detail.name}: ${detail.message}`;
  try {
    return ` ${JSON.stringify(detail)}`;
  } catch {
    return ' [unprintable detail]';
  }
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`), quiet = false): Logger {
  const emit = (level: string, message: string, detail?: unknown): void => {
    if (quiet && level === 'info') return;
    write(redact(`${new Date().toISOString()} ${level} ${message}${describe(detail)}`));
  };
  return {
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
  };
}
