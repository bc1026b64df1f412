/**
 * The config hash on a pod template: sha256 of the ConfigMaps and Secrets its
 * pods read, so changing one rolls the pods (kubectl sees a new template).
 */
import { createHash } from 'node:crypto';
import type { Component } from '../catalogue/schema/components';
import { filesConfigMapName, filesData } from './files';
import { secretId } from './secrets';

export function configHash(name: string, component: Component, secrets: Readonly<Record<string, string>>): string {
  const inputs: unknown[] = [];
  const data = filesData(component.files ?? []);
  if (Object.keys(data).length > 0) inputs.push({ kind: 'ConfigMap', name: filesConfigMapName(name), data });
  const refs = new Set<string>();
  for (const variable of component.env ?? [])
    if (variable.secret !== undefined) refs.add(secretId(variable.secret.name, variable.secret.key));
  for (const file of component.files ?? []) if (file.secret !== undefined) refs.add(secretId(file.secret.name, file.secret.key));
  for (const ref of [...refs].sort()) inputs.push({ kind: 'Secret', ref, value: secrets[ref] ?? '' });
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}
