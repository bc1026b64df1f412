import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { FitView } from '../../main/api';
import { gib, vcpu } from './fit-words';

/** Pending pods named under a node; the rest are counted. */
const SHOWN_OVERFLOW = 3;

type NodeView = Extract<FitView, { ok: true }>['nodes'][number];

/**
 * One resource of one node: what every node runs, what other pods request, this
 * plan, and the pods that would stay Pending (drawn past the capacity line, on the
 * node they came closest to, so they are never silently dropped).
 */
function Bar({
  label,
  total,
  everyNode,
  used,
  planned,
  overflow,
  format,
}: {
  label: string;
  total: number;
  everyNode: number;
  used: number;
  planned: number;
  overflow: number;
  format: (n: number) => string;
}): ReactElement {
  const { t } = useTranslation();
  const asked = used + planned + overflow;
  const scale = Math.max(total, asked);
  const pct = (n: number): string => `${scale <= 0 ? 0 : (Math.max(0, n) / scale) * 100}%`;
  const over = asked > total;
  return (
    <div
      className="bar-row"
      title={t('capacity.barTitle', {
        label,
        everyNode: format(everyNode),
        used: format(used - everyNode),
        planned: format(planned),
        overflow: format(overflow),
        total: format(total),
      })}
    >
      <span className="bar-label">{label}</span>
      <span className={`bar${over ? ' bar-over' : ''}`} aria-hidden="true">
        <span className="bar-every-node" style={{ width: pct(everyNode) }} />
        <span className="bar-used" style={{ width: pct(used - everyNode) }} />
        <span className="bar-planned" style={{ width: pct(planned) }} />
        <span className="bar-overflow" style={{ width: pct(overflow) }} />
        {over && <span className="bar-capacity" style={{ left: pct(total) }} />}
      </span>
      <span className={`bar-text${over ? ' bar-text-over' : ''}`}>
        {format(asked)} / {format(total)}
      </span>
    </div>
  );
}

export function NodeCard({ node }: { node: NodeView }): ReactElement {
  const { t } = useTranslation();
  const pending = node.overflowPods.length;
  return (
    <li className={`node-card${node.schedulable ? '' : ' node-cordoned'}`} data-node={node.name}>
      <p className="node-name">
        {node.name} {!node.schedulable && <span className="badge">{t('capacity.cordoned')}</span>}{' '}
        {node.plannedPods > 0 && <span className="muted">+{node.plannedPods}</span>}{' '}
        {pending > 0 && (
          <span className="badge badge-refused" data-overflow={pending}>
            {t('capacity.overflow', { count: pending })}
          </span>
        )}
      </p>
      <Bar
        label={t('capacity.vcpu')}
        total={node.allocatable.cpu}
        everyNode={node.everyNode.cpu}
        used={node.usedBefore.cpu}
        planned={node.planned.cpu}
        overflow={node.overflow.cpu}
        format={vcpu}
      />
      <Bar
        label={t('capacity.gib')}
        total={node.allocatable.memory}
        everyNode={node.everyNode.memory}
        used={node.usedBefore.memory}
        planned={node.planned.memory}
        overflow={node.overflow.memory}
        format={gib}
      />
      {pending > 0 && (
        <p className="overflow-pods">
          {t('capacity.overflowPods', {
            pods: node.overflowPods
              .slice(0, SHOWN_OVERFLOW)
              .map((pod) => `${pod.pod} (${pod.short.map((name) => t(`capacity.resource.${name}`, { defaultValue: name })).join(', ')})`)
              .join(', '),
          })}
          {pending > SHOWN_OVERFLOW && ` ${t('capacity.andMore', { count: pending - SHOWN_OVERFLOW })}`}
        </p>
      )}
    </li>
  );
}
