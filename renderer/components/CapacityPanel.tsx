import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapacitySource, FitView, PlanRequest } from '../../main/api';
import { useRequest } from '../client/use-request';
import { useSay } from '../i18n/say';

type Fit = Extract<FitView, { ok: true }>;
type NodeView = Fit['nodes'][number];

const GiB = 2 ** 30;
const cores = (milli: number): string => `${(milli / 1000).toFixed(milli % 1000 === 0 ? 0 : 1)}`;
const gib = (bytes: number): string => `${(bytes / GiB).toFixed(bytes % GiB === 0 ? 0 : 1)}`;

function Bar({
  label,
  total,
  used,
  planned,
  format,
}: {
  label: string;
  total: number;
  used: number;
  planned: number;
  format: (n: number) => string;
}): ReactElement {
  const pct = (n: number): number => (total <= 0 ? 0 : Math.min(100, (n / total) * 100));
  const over = used + planned > total;
  return (
    <div className="bar-row" title={`${label}: ${format(used)} used + ${format(planned)} planned of ${format(total)}`}>
      <span className="bar-label">{label}</span>
      <span className={`bar${over ? ' bar-over' : ''}`} aria-hidden="true">
        <span className="bar-used" style={{ width: `${pct(used)}%` }} />
        <span className="bar-planned" style={{ width: `${Math.max(0, Math.min(100 - pct(used), pct(planned)))}%` }} />
      </span>
      <span className="bar-text">
        {format(used + planned)} / {format(total)}
      </span>
    </div>
  );
}

function NodeCard({ node }: { node: NodeView }): ReactElement {
  const { t } = useTranslation();
  return (
    <li className={`node-card${node.schedulable ? '' : ' node-cordoned'}`} data-node={node.name}>
      <p className="node-name">
        {node.name} {!node.schedulable && <span className="badge">{t('capacity.cordoned')}</span>}{' '}
        {node.plannedPods > 0 && <span className="muted">+{node.plannedPods}</span>}
      </p>
      <Bar label="CPU" total={node.allocatable.cpu} used={node.usedBefore.cpu} planned={node.planned.cpu} format={cores} />
      <Bar label="GiB" total={node.allocatable.memory} used={node.usedBefore.memory} planned={node.planned.memory} format={gib} />
    </li>
  );
}

/** Whether the plan fits the cluster now, per node and per pod, with the largest values that would. */
/**
 * `cluster`: the kubeconfig and context of an environment being changed, read instead of the default one.
 * `titleOf`: a parameter's title as the form shows it, for the values the panel suggests.
 */
export function CapacityPanel({
  request,
  hasProfileCapacity,
  cluster,
  titleOf,
  onUse,
}: {
  request: PlanRequest;
  hasProfileCapacity: boolean;
  cluster?: { kubeconfig?: string | undefined; context?: string | undefined } | undefined;
  titleOf: (parameter: string) => string;
  onUse: (parameter: string, value: string | number | boolean) => void;
}): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  // Until the user picks, the site's declared capacity wins when there is one (it may arrive after the first render),
  // except for a running environment: the cluster it runs on is what its new size must fit.
  const [picked, setKind] = useState<CapacitySource['kind'] | undefined>();
  const kind = picked ?? (hasProfileCapacity && cluster === undefined ? 'profile' : 'cluster');
  const source: CapacitySource =
    kind === 'cluster' && cluster !== undefined
      ? {
          kind,
          ...(cluster.kubeconfig === undefined ? {} : { kubeconfig: cluster.kubeconfig }),
          ...(cluster.context === undefined ? {} : { context: cluster.context }),
        }
      : { kind };
  const fit = useRequest('capacity.fit', { plan: request, source });
  const data = fit.data;
  return (
    <section className="capacity" aria-labelledby="capacity-title" data-testid="capacity">
      <div className="capacity-head">
        <h2 id="capacity-title">{t('capacity.title')}</h2>
        <div className="segmented" role="radiogroup" aria-label={t('capacity.source')}>
          {(['cluster', 'profile'] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="radio"
              className="segment"
              aria-checked={kind === name}
              disabled={name === 'profile' && !hasProfileCapacity}
              onClick={() => setKind(name)}
            >
              {t(`capacity.sources.${name}`)}
            </button>
          ))}
        </div>
      </div>
      {data === undefined && <p className="muted">{t('capacity.checking')}</p>}
      {data?.ok === false && <p className="notice notice-warn">{say(data.reason)}</p>}
      {data?.ok === true && <FitDetails fit={data} titleOf={titleOf} onUse={onUse} />}
    </section>
  );
}

function FitDetails({
  fit,
  titleOf,
  onUse,
}: {
  fit: Fit;
  titleOf: (parameter: string) => string;
  onUse: (parameter: string, value: string | number | boolean) => void;
}): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const deployed = fit.pods.filter((pod) => !pod.spawned);
  const pending = deployed.filter((pod) => !pod.fits);
  return (
    <>
      <p className={`notice ${fit.allFit ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="fit-verdict">
        {fit.allFit
          ? t('capacity.allFit', { count: deployed.length, source: say(fit.sourceLabel) })
          : t('capacity.someDoNot', { pending: pending.length, count: deployed.length, source: say(fit.sourceLabel) })}
        {fit.replacedPods > 0 && ` ${t('capacity.replacing', { count: fit.replacedPods })}`}
      </p>
      {pending.length > 0 && (
        <ul className="pending-list">
          {groupByReason(pending).map((group) => (
            <li key={group.pods[0]}>
              <strong>{group.pods.length === 1 ? group.pods[0] : `${group.pods[0]} … ${group.pods.at(-1)} (${group.pods.length})`}</strong>:{' '}
              <code>{group.message}</code>
              {group.hints !== undefined ? (
                <p className="help">{group.hints.map(say).join('; ')}</p>
              ) : (
                group.hint !== undefined && <p className="help">{group.hint}</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {fit.largest.length > 0 && (
        <div className="largest">
          {fit.largest.map((knob) =>
            knob.value === null ? (
              <p key={knob.parameter} className="muted">
                {t('capacity.noneFits', { parameter: titleOf(knob.parameter) })}
              </p>
            ) : (
              <button
                key={knob.parameter}
                type="button"
                className="button"
                data-largest={knob.parameter}
                onClick={() => onUse(knob.parameter, knob.value ?? '')}
              >
                {t('capacity.useLargest', { parameter: titleOf(knob.parameter), value: String(knob.value) })}
              </button>
            ),
          )}
        </div>
      )}
      {fit.presets.length > 0 && (
        <p className="preset-verdicts">
          {fit.presets.map((preset) => (
            <span key={preset.preset} className={`badge ${preset.fits ? 'badge-fits' : 'badge-refused'}`} data-preset-fit={preset.preset}>
              {preset.preset}: {preset.fits ? t('capacity.fits') : t('capacity.doesNotFit', { pending: preset.pending })}
            </span>
          ))}
        </p>
      )}
      <ul className="node-grid" aria-label={t('capacity.nodes')}>
        {fit.nodes.map((node) => (
          <NodeCard key={node.name} node={node} />
        ))}
      </ul>
      <p className="help">{t('capacity.legend')}</p>
    </>
  );
}

/** Replicas refused for the same reason read as one line. */
type ReasonGroup = { pods: string[]; message: string; hint?: string; hints?: Fit['pods'][number]['hints'] };

function groupByReason(pods: Fit['pods']): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const pod of pods) {
    const key = `${pod.component}\n${pod.message ?? ''}\n${pod.hint ?? ''}`;
    const group: ReasonGroup = groups.get(key) ?? {
      pods: [],
      message: pod.message ?? '',
      ...(pod.hint === undefined ? {} : { hint: pod.hint }),
      ...(pod.hints === undefined ? {} : { hints: pod.hints }),
    };
    group.pods.push(pod.pod);
    groups.set(key, group);
  }
  return [...groups.values()];
}
