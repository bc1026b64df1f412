import { useEffect, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../client/use-request';
import { ClusterStatus } from './ClusterStatus';
import { ErrorNotice } from './ErrorNotice';

export interface KubeTarget {
  kubeconfig?: string | undefined;
  /** Absent: the context the app offers first (the file's current one when the site allows it). */
  context?: string | undefined;
}

/**
 * Which context to deploy to, among those the site profile allows, in the
 * kubeconfig the app uses (chosen in the app, else the site's or kubectl's
 * default; ClusterStatus changes it). Warns about contexts that skip TLS
 * verification. `onUsable` tells the page whether Deploy can go ahead, so
 * the page disables it instead of failing after the click.
 */
export function KubeTargetPicker({
  value,
  onChange,
  onUsable,
}: {
  value: KubeTarget | undefined;
  onChange: (target: KubeTarget) => void;
  onUsable?: (usable: boolean) => void;
}): ReactElement {
  const { t } = useTranslation();
  const clusters = useRequest('kube.contexts', value?.kubeconfig === undefined ? {} : { kubeconfig: value.kubeconfig });
  const view = clusters.data;
  const allowed = view?.contexts.filter((c) => c.allowed) ?? [];
  // A context from another file, or one the site does not allow, is never kept.
  const chosen = allowed.some((c) => c.name === value?.context) ? value?.context : view?.preselected;
  const usable = view?.state === 'ready' && chosen !== undefined;
  useEffect(() => onUsable?.(usable), [usable, onUsable]);

  const summary = allowed.find((c) => c.name === chosen);
  const warning = view?.warnings.find((w) => w.includes(`"${chosen ?? ''}"`));
  return (
    <div className="kube-target" data-testid="kube-target">
      {clusters.error !== null && <ErrorNotice error={clusters.error} onRetry={() => void clusters.refetch()} />}
      {view !== undefined && <ClusterStatus view={view} context={chosen} onReview />}
      {usable && (
        <label className="field">
          <span className="field-label">{t('deploy.context')}</span>
          <select
            value={chosen}
            onChange={(e) =>
              onChange({ ...(value?.kubeconfig === undefined ? {} : { kubeconfig: value.kubeconfig }), context: e.target.value })
            }
            data-testid="kube-context"
          >
            {allowed.map((context) => (
              <option key={context.name} value={context.name}>
                {context.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {summary !== undefined && (
        <p className="help" data-testid="context-summary">
          {t('deploy.contextSummary', { server: summary.server, user: summary.user, auth: t(`deploy.auth.${summary.auth}`) })}
          {summary.execCommand !== undefined && <> {t('deploy.execRuns', { program: summary.execCommand })}</>}
        </p>
      )}
      {warning !== undefined && (
        <p className="notice notice-warn" role="alert">
          {warning}
        </p>
      )}
    </div>
  );
}
