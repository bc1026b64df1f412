/**
 * The renderer's catalogues and the core's messages agree: every key of one
 * language is in the other with the same placeholders, every message id the
 * core can say has a sentence in both, and every literal key the renderer
 * asks for exists. A missing sentence would show an id, or English, to an
 * Italian user.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { placeholders } from '../../../main/messages/format';
import { messageIds, say } from '../../../main/messages/message';
import { en } from '../../../renderer/i18n/en';
import { it as italian } from '../../../renderer/i18n/it';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

function sources(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && ext.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const english = leaves(en);
const italianLeaves = leaves(italian);

/** A key with its plural forms collapsed, as t() and say() are called. */
const base = (key: string): string => key.replace(/_(one|other|many|zero|two|few)$/, '');

describe('catalogues', () => {
  it('hold the same keys in English and Italian', () => {
    const missingInItalian = [...english.keys()].filter((key) => !italianLeaves.has(key));
    const missingInEnglish = [...italianLeaves.keys()].filter((key) => !english.has(key));
    assert.deepEqual(missingInItalian, [], 'keys without an Italian sentence');
    assert.deepEqual(missingInEnglish, [], 'keys without an English sentence');
  });

  it('use the same placeholders in both languages', () => {
    const differing = [...english.entries()]
      .filter(
        ([key, sentence]) => italianLeaves.has(key) && placeholders(sentence).join() !== placeholders(italianLeaves.get(key) ?? '').join(),
      )
      .map(([key]) => key);
    assert.deepEqual(differing, []);
  });

  it('have an Italian sentence that differs from the English one, except for names and symbols', () => {
    // Sentences that are the same in both languages because they are names, flags or units.
    const same = new Set([
      'app.name',
      'settings.languages.en',
      'settings.languages.it',
      'core.profileSource.cli',
      'review.targets.kube',
      'review.targets.im',
      'environment.im.title',
      'environment.credentials.secret',
      'core.rbac.binding',
      // Separators joining messages, and what a pod says in Kubernetes' own words (its phase, its reason).
      'core.list.semicolon',
      'core.list.comma',
      'core.pod.waiting',
      'core.pod.pendingWhy',
      'core.pod.pendingOnly',
      'core.podReason.other',
      'core.status.podProblem',
      'core.status.workloadStalled',
      'core.status.containerProblem',
      'core.status.interruptedNow',
      // IM's own state names, as IM says them.
      'core.imDeploy.stateLine',
      'core.imState.plain',
      'core.imState.all_one',
      'core.imState.all_other',
      'core.imState.mixed',
      // Units and the same word in Italian (the fit panel's totals, the logs' container picker, the target marks).
      'capacity.totalsPart_one',
      'capacity.totalsPart_other',
      'environment.logs.container',
      'environment.logs.initContainer',
      'targetMarks.short.kube',
      'targetMarks.short.dispatcher',
      'targetMarks.no',
    ]);
    const untranslated = [...english.entries()]
      .filter(([key, sentence]) => !same.has(key) && /[a-z]{4,}/.test(sentence) && italianLeaves.get(key) === sentence)
      .map(([key]) => key);
    assert.deepEqual(untranslated, []);
  });

  it('say every core message id in both languages', () => {
    const ids = messageIds();
    assert.ok(ids.length > 10, 'the core catalogue is read');
    const keys = (leavesOf: Map<string, string>): Set<string> => new Set([...leavesOf.keys()].map(base));
    const inEnglish = keys(english);
    const inItalian = keys(italianLeaves);
    assert.deepEqual(
      ids.filter((id) => !inEnglish.has(`core.${id}`)),
      [],
    );
    assert.deepEqual(
      ids.filter((id) => !inItalian.has(`core.${id}`)),
      [],
    );
  });

  it('know every message id the core names in its source', () => {
    const known = new Set(messageIds());
    const named = new Set<string>();
    for (const file of sources(path.resolve('main'), /\.ts$/)) {
      // Literal ids only; ids built from a variable are held to the catalogue by the compiler (MessageId).
      for (const match of readFileSync(file, 'utf8').matchAll(/\bsay\(\s*'([\w.]+)'/g)) named.add(match[1] as string);
    }
    assert.ok(named.size > 5, 'the core calls say()');
    assert.deepEqual(
      [...named].filter((id) => !known.has(id)),
      [],
    );
  });

  it('have every literal key the renderer asks for', () => {
    const keys = new Set([...english.keys()].map(base));
    const missing: string[] = [];
    for (const file of sources(path.resolve('renderer'), /\.tsx?$/)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.-]+)'/g)) {
        const key = match[1] as string;
        if (!keys.has(key) && ![...keys].some((k) => k.startsWith(`${key}.`))) missing.push(`${path.relative('.', file)}: ${key}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('fill the English text of a message from its sentence, plural forms and nested messages', () => {
    const message = say('values.quantity.memory', { got: '"4 GB"', why: say('values.quantityWhy.milli') });
    assert.equal(
      message.text,
      'expected a memory quantity such as 4Gi, 512Mi or 4G, got "4 GB" ("m" means thousandths; for mebibytes write Mi)',
    );
    assert.equal(message.id, 'values.quantity.memory');
  });
});
