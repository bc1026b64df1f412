/**
 * Generated secrets: random values made with the system's CSPRNG the first
 * time an environment is rendered, then passed back in and kept, so a
 * re-render changes nothing.
 */
import { randomInt } from 'node:crypto';
import type { RenderedSections } from '../catalogue/schema/template';
import { certificateSet } from './certificates';

const ALPHABETS = {
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  lowercase: 'abcdefghijklmnopqrstuvwxyz0123456789',
} as const;

export const DEFAULT_SECRET_LENGTH = 32;

/** "secret.key" → value for every key of every secret: kept values first, new random ones for the rest. */
export function resolveSecrets(sections: RenderedSections, kept: Readonly<Record<string, string>> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [secret, spec] of Object.entries(sections.secrets ?? {})) {
    Object.assign(values, certificates(secret, spec.keys, kept));
    for (const [key, generator] of Object.entries(spec.keys)) {
      const id = secretId(secret, key);
      const previous = kept[id];
      // A given value (the site's) is taken as it is now; a generated one is kept once made.
      if ('certificate' in generator) continue;
      if ('value' in generator) values[id] = generator.value;
      else
        values[id] =
          previous !== undefined && previous !== ''
            ? previous
            : randomString(ALPHABETS[generator.generate], generator.length ?? DEFAULT_SECRET_LENGTH);
    }
  }
  return values;
}

/**
 * A secret's certificates are made together (its authority signs the others
 * and is then forgotten), so they are kept together: all of them, or a new set.
 */
function certificates(
  secret: string,
  keys: NonNullable<RenderedSections['secrets']>[string]['keys'],
  kept: Readonly<Record<string, string>>,
): Record<string, string> {
  const wanted = Object.entries(keys).flatMap(([key, generator]) => ('certificate' in generator ? [[key, generator.certificate]] : []));
  if (wanted.length === 0) return {};
  const ids = wanted.map(([key]) => secretId(secret, key ?? ''));
  if (ids.every((id) => (kept[id] ?? '') !== '')) return Object.fromEntries(ids.map((id) => [id, kept[id] ?? '']));
  const names = wanted.map(([, name]) => name ?? '').filter((name) => name !== 'ca');
  const set = certificateSet(secret, names);
  return Object.fromEntries(wanted.map(([key, name]) => [secretId(secret, key ?? ''), set[name ?? ''] ?? '']));
}

export function secretId(secret: string, key: string): string {
  return `${secret}.${key}`;
}

function randomString(alphabet: string, length: number): string {
  let out = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}
