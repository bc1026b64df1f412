/**
 * Offline export of a Plan, the same text the GUI shows and `afp export`
 * writes: one multi-document YAML in wave order (kubectl-ready), or TOSCA.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Document } from 'yaml';
import { AfpError } from '../errors';
import { renderTosca } from '../render/tosca/render-tosca';
import type { Plan } from '../render/types';

export function kubeYaml(plan: Plan): string {
  return plan.objects.map((object) => new Document(object, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 })).join('---\n');
}

export function exportText(plan: Plan, format: 'kube' | 'tosca'): { fileName: string; text: string } {
  if (format === 'kube') return { fileName: `${plan.environment.name}.yaml`, text: kubeYaml(plan) };
  const tosca = renderTosca(plan);
  if (!tosca.check.ok) {
    const refused = tosca.check.items.filter((item) => item.severity === 'refused');
    throw new AfpError('unsupported', `IM cannot create this environment as planned: ${refused.map((item) => `${item.object}: ${item.reason}`).join('; ')}`);
  }
  return { fileName: `${plan.environment.name}.tosca.yaml`, text: tosca.yaml };
}

/** Writes next to a temporary name and renames, so a half-written file never replaces a good one. */
export async function writeExport(plan: Plan, format: 'kube' | 'tosca', directory: string): Promise<string[]> {
  const { fileName, text } = exportText(plan, format);
  const dir = path.resolve(directory);
  try {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, fileName);
    await writeFile(`${file}.tmp`, text, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    return [file];
  } catch (error) {
    throw new AfpError('unavailable', `Could not write to ${dir}: ${error instanceof Error ? error.message : String(error)}`, { file: dir, cause: error });
  }
}
