/**
 * Export from the GUI: the same documents `afp export` writes (manifestYaml,
 * renderTosca), written whole so a failure leaves nothing half-written.
 */
import path from 'node:path';
import { writeWhole } from '../fs/whole-file';
import { AfpError } from '../errors';
import { manifestYaml } from '../render/manifest';
import { renderTosca } from '../render/tosca/render-tosca';
import type { Plan } from '../render/types';

export function exportText(plan: Plan, format: 'kube' | 'tosca'): { fileName: string; text: string } {
  if (format === 'kube') return { fileName: `${plan.environment.name}.yaml`, text: manifestYaml(plan) };
  const tosca = renderTosca(plan);
  if (!tosca.check.ok) {
    const refused = tosca.check.items.filter((item) => item.severity === 'refused');
    throw new AfpError(
      'unsupported',
      `IM's Kubernetes connector cannot create this environment faithfully; nothing written. ${refused.map((item) => `${item.object}: ${item.reason}`).join('; ')}`,
    );
  }
  return { fileName: `${plan.environment.name}.tosca.yaml`, text: tosca.yaml };
}

export async function writeExport(plan: Plan, format: 'kube' | 'tosca', directory: string): Promise<string[]> {
  const { fileName, text } = exportText(plan, format);
  const file = path.join(path.resolve(directory), fileName);
  try {
    await writeWhole(file, text);
    return [file];
  } catch (error) {
    throw new AfpError('unavailable', `Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      file,
      cause: error,
    });
  }
}
