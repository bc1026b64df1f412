/**
 * Values written into Python files (jupyterhub_config.py) as Python literals,
 * never as raw text: a value typed by a user stays data, whatever it contains.
 * Strings are escaped to printable ASCII, so no quote, backslash, newline or
 * Unicode line separator can end the literal early.
 */

/** The Python literal for a JSON value: str, int/float, True/False, None, list or dict. */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`py(): ${String(value)} has no Python literal`);
    return String(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${pythonString(key)}: ${pythonLiteral(item)}`);
    return `{${entries.join(', ')}}`;
  }
  throw new TypeError(`py(): a ${typeof value} has no Python literal`);
}

function pythonString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
