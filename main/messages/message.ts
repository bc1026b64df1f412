/**
 * What the core says to a person, as an id and parameters: the renderer puts
 * it in the user's language from its catalogues (renderer/i18n, key
 * `core.<id>`); `text` is the same sentence in English for the CLI and logs.
 */
import { coreMessagesEn } from './en';
import { formatTemplate } from './format';

/** "a.b.c" for every sentence of a nested catalogue; plural forms (`x_one`, `x_other`) name one id, `x`. */
type Ids<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${K extends `${infer Base}_${'one' | 'other'}` ? Base : K}`
    : Ids<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageId = Ids<typeof coreMessagesEn>;

/** Values, or messages of their own (a refusal's reason inside "IM cannot create…"). */
export type MessageParams = Readonly<Record<string, string | number | Message>>;

export interface Message {
  id: MessageId;
  params?: MessageParams | undefined;
  /** In English, for the CLI, logs, and a renderer that lacks the id. */
  text: string;
}

type Tree = { readonly [key: string]: string | Tree };

/** The English sentence of `id` (its plural form for `params.count`), or undefined for an unknown id. */
export function englishTemplate(id: string, params: MessageParams = {}): string | undefined {
  const path = id.split('.');
  const leaf = path.pop() as string;
  let node: Tree | string | undefined = coreMessagesEn;
  for (const part of path) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'object') return undefined;
  const count = params.count;
  if (typeof count === 'number') {
    const plural = node[`${leaf}_${new Intl.PluralRules('en').select(count)}`] ?? node[`${leaf}_other`];
    if (typeof plural === 'string') return plural;
  }
  const exact = node[leaf];
  return typeof exact === 'string' ? exact : undefined;
}

/** A message for `id` with its parameters, its English text filled in. */
export function say(id: MessageId, params?: MessageParams): Message {
  const template = englishTemplate(id, params) ?? id;
  const text = formatTemplate(template, params ?? {});
  return params === undefined ? { id, text } : { id, params, text };
}

/** Messages joined into one with "; " or ", " (nested, so each part is said in the user's language). */
export function sayList(parts: readonly Message[], separator: 'semicolon' | 'comma'): Message | undefined {
  const [first, ...rest] = parts;
  if (first === undefined) return undefined;
  const tail = sayList(rest, separator);
  return tail === undefined ? first : say(`list.${separator}`, { first, rest: tail });
}

/** Every id the core catalogue holds, in dotted form (plural forms once). */
export function messageIds(): string[] {
  const ids = new Set<string>();
  const walk = (tree: Tree, prefix: string): void => {
    for (const [key, value] of Object.entries(tree)) {
      if (typeof value === 'string') ids.add(prefix + key.replace(/_(one|other)$/, ''));
      else walk(value, `${prefix}${key}.`);
    }
  };
  walk(coreMessagesEn, '');
  return [...ids];
}
