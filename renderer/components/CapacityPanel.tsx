import { useState, type ReactElement } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CapacitySource, FitView, PlanRequest } from '../../main/api';
import { useRequest } from '../client/use-request';
import { useSay } from '../i18n/say';
import { gib, runsOut, vcpu, whyPending } from './fit-words';
import { NodeCard } from './NodeBars';

type Fit = Extract<FitView, { ok: true }>;
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
          kubeconfig: cluster.kubeconfig,
          context: cluster.context,
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
  const { summary } = fit;
  return (
    <>
      <Totals fit={fit} />
      <div className={`notice fit-verdict ${fit.allFit ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="fit-verdict">
        <p className="verdict-headline">
          <strong>{headline(t, summary)}</strong>
        </p>
        <p className="verdict-detail">
          {fit.allFit
            ? t('capacity.allFit', { count: summary.pods, source: say(fit.sourceLabel) })
            : t('capacity.someDoNot', { pending: summary.pending, count: summary.pods, source: say(fit.sourceLabel) })}
          {summary.spawned > 0 && ` ${t('capacity.spawnedIncluded', { count: summary.spawned })}`}
          {fit.replacedPods > 0 && ` ${t('capacity.replacing', { count: fit.replacedPods })}`}
        </p>
      </div>
      {summary.pendingGroups.length > 0 && (
        <ul className="pending-list" data-testid="pending-list">
          {summary.pendingGroups.map((group) => (
            <li key={`${group.component}/${group.workload}/${group.short.join()}`}>
              <strong>{group.pods.length === 1 ? group.pods[0] : `${group.pods[0]} … ${group.pods.at(-1)} (${group.pods.length})`}</strong>
              {': '}
              {whyPending(t, group.short)}
              {group.spawned && ` ${t('capacity.whenUsersSignIn')}`}
              {/* The scheduler's exact words, folded: they matter to whoever asks the site for help. */}
              <details className="scheduler-words">
                <summary>{t('capacity.schedulerWords')}</summary>
                <code>{group.message}</code>
                {group.hints !== undefined ? (
                  <p className="help">{group.hints.map(say).join('; ')}</p>
                ) : (
                  group.hint !== undefined && <p className="help">{group.hint}</p>
                )}
              </details>
            </li>
          ))}
        </ul>
      )}
      {fit.suggestions.length > 0 && (
        <div className="largest" data-testid="fit-suggestions">
          {fit.suggestions.map((suggestion) =>
            suggestion.value === null ? (
              <p key={suggestion.parameter} className="muted" data-no-value={suggestion.parameter}>
                {t('capacity.noneFits', { parameter: titleOf(suggestion.parameter), why: runsOut(t, suggestion.limitedBy) })}
              </p>
            ) : (
              <p key={suggestion.parameter} className="suggestion">
                <button
                  type="button"
                  className="button"
                  data-largest={suggestion.parameter}
                  onClick={() => onUse(suggestion.parameter, suggestion.value ?? '')}
                >
                  {t('capacity.use', { parameter: titleOf(suggestion.parameter), value: String(suggestion.value) })}
                </button>{' '}
                <span className="muted">
                  {suggestion.limitedBy.length === 0
                    ? t('capacity.mostAllowed')
                    : t(suggestion.direction === 'raise' ? 'capacity.mostThatFits' : 'capacity.largestThatFits', {
                        why: runsOut(t, suggestion.limitedBy),
                      })}
                </span>
              </p>
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

/** The plain sentence first: it fits, or which pods will not start and what runs out. */
function headline(t: TFunction, summary: Fit['summary']): string {
  if (summary.pending === 0) return t('capacity.fitsHeadline');
  const why = whyPending(t, summary.binding);
  const only = summary.pendingGroups.length === 1 ? summary.pendingGroups[0] : undefined;
  return only === undefined
    ? t('capacity.willNotStartMany', { count: summary.pending, why })
    : t('capacity.willNotStart', { count: only.pods.length, workload: only.workload, why });
}

/** What the plan asks for in all, and per component: the numbers behind the inputs above. */
function Totals({ fit }: { fit: Fit }): ReactElement {
  const { t } = useTranslation();
  const { summary } = fit;
  return (
    <p className="fit-totals" data-testid="fit-totals">
      <strong>{t('capacity.totals', { cpu: vcpu(summary.request.cpu), memory: gib(summary.request.memory), count: summary.pods })}</strong>{' '}
      <span className="muted">
        {summary.byWorkload
          .map((part) =>
            t('capacity.totalsPart', { workload: part.workload, count: part.pods, cpu: vcpu(part.cpu), memory: gib(part.memory) }),
          )
          .join(' · ')}
      </span>
    </p>
  );
}
