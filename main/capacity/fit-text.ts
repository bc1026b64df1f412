/**
 * A FitReport as text for a terminal: one line per pod, the reasons for each
 * pod that would stay Pending, and the headroom per node after deploying.
 */
import type { FitReport, NodeHeadroom } from './fit';
import { fitSummary, totalsText, verdictText } from './fit-summary';
import { formatAmount, formatResources } from './format';
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

/** The largest amounts that pods every node runs take on one node, or undefined when they take nothing. */
function mostEveryNodeRuns(report: FitReport): Record<string, number> | undefined {
  const most: Record<string, number> = { [CPU]: 0, [MEMORY]: 0, [PODS]: 0 };
  for (const node of report.nodes)
    for (const name of [CPU, MEMORY, PODS]) most[name] = Math.max(most[name] ?? 0, node.everyNode[name] ?? 0);
  return Object.values(most).some((amount) => amount > 0) ? most : undefined;
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
  lines.push('', 'Headroom after deploying:', ...headroomRows(report, maxNodeRows));
  const everyNode = mostEveryNodeRuns(report);
  if (everyNode !== undefined)
    lines.push(
      `  What every node already runs (DaemonSet and static pods, or the profile's headroom) takes up to ${formatResources(everyNode, [CPU, MEMORY, PODS])} a node.`,
    );
  const summary = fitSummary(report);
  lines.push('', totalsText(summary), verdictText(summary));
  return `${lines.join('\n')}\n`;
}
