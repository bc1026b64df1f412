/**
 * A component's files (configuration text) live in one ConfigMap, one key per
 * file, each mounted at its path by subPath.
 */
import type { ComponentFile } from '../catalogue/schema/components';

export const filesConfigMapName = (component: string): string => `${component}-files`;

/** A ConfigMap key per file: its base name, made unique and key-safe. */
export function fileKeys(files: readonly ComponentFile[]): string[] {
  const used = new Set<string>();
  return files.map((file) => {
    const base = (file.path.split('/').pop() ?? 'file').replace(/[^-._a-zA-Z0-9]/g, '_') || 'file';
    let key = base;
    for (let n = 2; used.has(key); n += 1) key = `${base}-${n}`;
    used.add(key);
    return key;
  });
}

/** The ConfigMap data of the component's inline files (secret-backed files are not in it). */
export function filesData(files: readonly ComponentFile[]): Record<string, string> {
  const keys = fileKeys(files);
  const data: Record<string, string> = {};
  files.forEach((file, index) => {
    const key = keys[index];
    if (file.content !== undefined && key !== undefined) data[key] = file.content;
  });
  return data;
}
