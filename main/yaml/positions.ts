/**
 * Where a field path points in a parsed YAML document, so every error can
 * name the line a person must edit.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type FieldPath = readonly PropertyKey[];

/** Dotted field path with [i] for list items: `components.hub.ports[0].port`. */
export function fieldPath(path: FieldPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * Line (1-based) of the deepest node on `path` that exists in the document:
 * the key's line for a map entry, the item's line for a list item. A path that
 * leaves the document (a value an expression produced) stops at its last
 * source ancestor.
 */
export function lineAt(doc: Document, counter: LineCounter, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let line = lineOfNode(node, counter);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(key));
      if (pair === undefined) break;
      line = lineOfNode(pair.key, counter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (node === undefined) break;
      line = lineOfNode(node, counter) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function lineOfNode(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as Partial<Node> | null | undefined)?.range;
  return range === undefined || range === null ? undefined : counter.linePos(range[0]).line;
}
