/**
 * A FitReport as text for a terminal: one line per pod, the reasons for each
 * pod that would stay Pending, and the headroom per node after deploying.
 */
import type { FitReport, NodeHeadroom } from './fit';
import { formatAmount } from './format';
import { CPU, MEMORY, PODS } from './resources';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function freeOfTotal(node: NodeHeadroom, resource: string): string {
  return `${formatAmount(resource, node.freeAfter[resource] ?? 0)}/${formatAmount(resource, node.allocatable[resource] ?? 0)}`;
}

/** At most `limit` node rows: the nodes this plan uses, then the rest by name. */
function headroomRows(report: FitReport, limit: number): string[] {
  const used = report.nodes.filter((node) => node.plannedPods.length > 0);
  const rest = report.nodes.filter((node) => node.plannedPods.length === 0);
  const shown = [...used, ...rest].slice(0, limit);
  const width = Math.max(4, ...shown.map((node) => node.name.length)) + 2;
  const rows = [`  ${pad('NODE', width)}${pad('CPU free/alloc', 18)}${pad('MEMORY free/alloc', 22)}${pad('PODS free/max', 15)}PLAN PODS`];
  for (const node of shown) {
    const state = node.schedulable ? '' : ' (cordoned)';
    rows.push(
      `  ${pad(node.name, width)}${pad(freeOfTotal(node, CPU), 18)}${pad(freeOfTotal(node, MEMORY), 22)}${pad(freeOfTotal(node, PODS), 15)}${node.plannedPods.length}${state}`,
    );
  }
  if (report.nodes.length > shown.length) rows.push(`  … and ${report.nodes.length - shown.length} more nodes`);
  return rows;
}

export function fitReportText(report: FitReport, title: string, maxNodeRows = 20): string {
  const lines = [title, ''];
  const width = Math.max(...report.perPod.map((pod) => pod.pod.length), 3) + 2;
  for (const pod of report.perPod) {
    if (pod.fits) {
      lines.push(`  fits     ${pad(pod.pod, width)}→ ${pod.node ?? ''}`);
    } else {
      lines.push(`  PENDING  ${pad(pod.pod, width)}${pod.message ?? ''}`);
      if (pod.hint) lines.push(`           ${' '.repeat(width)}${pod.hint}`);
    }
    for (const caveat of pod.caveats) lines.push(`           ${' '.repeat(width)}note: ${caveat}`);
  }
  lines.push('', 'Headroom after deploying:', ...headroomRows(report, maxNodeRows), '');
  const { pods, pending } = report.totals;
  lines.push(report.allFit ? `All ${pods} pods fit.` : `${pending} of ${pods} pods would stay Pending.`);
  return `${lines.join('\n')}\n`;
}
