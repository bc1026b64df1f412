/**
 * Export from the GUI: the same documents `afp export` writes (manifestYaml,
 * renderTosca), written whole so a failure leaves nothing half-written.
 */
import path from 'node:path';
import { writeWhole } from '../fs/whole-file';
import { AfpError } from '../errors';
import { manifestYaml } from '../render/manifest';
import { incapableMessage } from '../render/tosca/refusal';
import { renderTosca } from '../render/tosca/render-tosca';
import type { CapabilityItem } from '../render/tosca/types';
import type { Plan, Target } from '../render/types';
import { EXPORT_FORMATS, TARGETS, type ExportFormat } from '../contract/plan';
import { traitsOf } from '../targets/kinds/traits';

export { EXPORT_FORMATS, type ExportFormat };

export function isExportFormat(text: string): text is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(text);
}

/** What a plan is rendered for before export: TOSCA is IM's document, so a target that takes manifests becomes IM. */
export function exportTarget(format: ExportFormat, chosen: Target = TARGETS[0]): Target {
  return format === 'tosca' && traitsOf(chosen).document !== 'tosca' ? 'im' : chosen;
}

/** The document and its file name; TOSCA's capability items go to `onItem` (afp export prints them) before any refusal. */
export function exportText(plan: Plan, format: ExportFormat, onItem?: (item: CapabilityItem) => void): { fileName: string; text: string } {
  if (format !== 'tosca') return { fileName: `${plan.environment.name}.yaml`, text: manifestYaml(plan) };
  const tosca = renderTosca(plan);
  for (const item of tosca.check.items) onItem?.(item);
  if (!tosca.check.ok) throw new AfpError('unsupported', incapableMessage(plan.environment.name, tosca.check, 'written'));
  return { fileName: `${plan.environment.name}.tosca.yaml`, text: tosca.yaml };
}

export async function writeExport(plan: Plan, format: ExportFormat, directory: string): Promise<string[]> {
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
