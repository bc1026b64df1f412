import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnvironmentDetail } from '../../main/api';
import { ApiError, call } from '../client/client';
import { useRequest } from '../client/use-request';
import { CredentialsPanel } from '../components/CredentialsPanel';
import { ErrorNotice } from '../components/ErrorNotice';
import { ImPanel } from '../components/ImPanel';
import { LogsPanel } from '../components/LogsPanel';
import { StatusBadge } from '../components/StatusBadge';
import { DeletePanel } from '../components/DeletePanel';
import { DriftPanel } from '../components/DriftPanel';
import { deployFailed, FailedDeployPanel } from '../components/FailedDeployPanel';
import { RelativeTime } from '../components/RelativeTime';
import type { Navigate } from '../navigation';
import { statusMessage, useSay } from '../i18n/say';

export function EnvironmentPage({ id, navigate }: { id: string; navigate: Navigate }): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const detail = useRequest('environments.get', { id });
  const [error, setError] = useState<ApiError | undefined>();
  const [workers, setWorkers] = useState<string>('');
  const [removing, setRemoving] = useState(false);
  const act = (run: () => Promise<{ operationId: string }>, after?: (operationId: string) => void): void => {
    setError(undefined);
    run().then(
      (started) => after?.(started.operationId),
      (e: unknown) => setError(e instanceof ApiError ? e : new ApiError('internal', String(e))),
    );
  };
  if (detail.error !== null) return <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.data === undefined) return <p>{t('catalogue.loading')}</p>;
  const env: EnvironmentDetail = detail.data;
  const { summary, live } = env;
  const resizable = typeof summary.values.workers === 'number';
  const { keepsLog, updates, readsCluster } = summary.target.traits;
  const created = env.objects.some((o) => o.state === 'applied');
  const toDeploy = (op: string): void => navigate({ page: 'deploy', operationId: op, environmentId: id });
  const request = { template: summary.template.name, values: summary.values, name: summary.name, target: summary.target.kind };
  // Nothing was created: the failed record steps aside and Review deploys afresh under the same name; else Review updates it.
  const backToReview = (): void => {
    if (created) return navigate({ page: 'review', request, environmentId: id });
    act(
      () => call('environments.forget', { id }).then(() => ({ operationId: '' })),
      () => navigate({ page: 'review', request }),
    );
  };

  return (
    <section aria-labelledby="environment-title" className="environment">
      <header className="page-header">
        <p className="breadcrumb">
          <button type="button" className="link-button" onClick={() => navigate({ page: 'environments' })}>
            {t('nav.environments')}
          </button>{' '}
          / {summary.name}
        </p>
        <div className="spread">
          <h1 id="environment-title">{summary.name}</h1>
          <StatusBadge phase={summary.status.phase} message={statusMessage(say, summary.status)} operation={summary.lastOperation} />
        </div>
        <p className="subtitle">
          {summary.template.name} {summary.template.version} · {summary.target.label}
        </p>
        {summary.status.message !== undefined && (
          <p className={`notice ${summary.status.phase === 'Ready' ? 'notice-ok' : 'notice-warn'}`} data-testid="status-message">
            {statusMessage(say, summary.status)}
          </p>
        )}
      </header>
      {error !== undefined && <ErrorNotice error={error} />}
      <FailedDeployPanel
        summary={summary}
        onRetry={() => act(() => call('environments.resume', { id }), toDeploy)}
        onBackToReview={backToReview}
      />
      <DriftPanel
        detail={env}
        onRestore={() =>
          act(
            () => call('environments.restore', { id }),
            (op) => navigate({ page: 'deploy', operationId: op, environmentId: id, kind: 'update' }),
          )
        }
      />
      {removing && (
        <DeletePanel
          detail={env}
          onClose={() => setRemoving(false)}
          onDelete={() =>
            act(
              () => call('environments.delete', { id }),
              (op) => navigate({ page: 'deploy', operationId: op, environmentId: id, kind: 'delete' }),
            )
          }
          onForget={() =>
            act(
              () => call('environments.forget', { id }).then(() => ({ operationId: '' })),
              () => navigate({ page: 'environments' }),
            )
          }
        />
      )}

      <div className="links" aria-label={t('environment.links')}>
        {live.links.map((link) => (
          <span key={link.id} className="link-entry">
            <button
              type="button"
              className="button button-primary"
              disabled={!link.ready}
              data-link={link.id}
              onClick={() => act(() => call('environments.openLink', { id, linkId: link.id }).then(() => ({ operationId: '' })))}
            >
              {link.title}
            </button>
            {link.url !== undefined && <span className="muted link-url">{link.url}</span>}
          </span>
        ))}
      </div>
      {keepsLog && <ImPanel detail={env} />}
      <CredentialsPanel detail={env} />

      <div className="actions-row">
        {resizable && (
          <span className="field-control">
            <label htmlFor="resize-workers">{t('environment.workers')}</label>
            <input
              id="resize-workers"
              type="number"
              min={0}
              value={workers === '' ? String(summary.values.workers) : workers}
              onChange={(e) => setWorkers(e.target.value)}
            />
            <button
              type="button"
              className="button"
              disabled={workers === '' || Number(workers) === summary.values.workers}
              onClick={() =>
                act(
                  () => call('environments.update', { id, values: { workers: Number(workers) } }),
                  (op) => navigate({ page: 'deploy', operationId: op, environmentId: id, kind: 'update' }),
                )
              }
            >
              {t('environment.resize')}
            </button>
          </span>
        )}
        {resizable && updates === 'recreate' && <p className="help">{t('environment.im.resizeRedeploys')}</p>}
        {summary.lastOperation !== undefined &&
          !deployFailed(summary) &&
          ['interrupted', 'failed', 'cancelled'].includes(summary.lastOperation.outcome) && (
            <button
              type="button"
              className="button"
              onClick={() =>
                act(
                  () => call('environments.resume', { id }),
                  (op) => navigate({ page: 'deploy', operationId: op, environmentId: id }),
                )
              }
            >
              {t('environment.resume')}
            </button>
          )}
        <button
          type="button"
          className="button"
          data-testid="change-settings"
          onClick={() =>
            // The values it runs with, asked now: the page's copy may predate an update that just ended.
            void call('environments.get', { id }).then(
              (fresh) =>
                navigate({
                  page: 'configure',
                  template: fresh.summary.template.name,
                  values: fresh.summary.values,
                  name: fresh.summary.name,
                  environmentId: id,
                }),
              (failure: unknown) => setError(failure instanceof ApiError ? failure : new ApiError('internal', String(failure))),
            )
          }
        >
          {t('environment.change')}
        </button>
        <button type="button" className="button button-danger" data-testid="delete" onClick={() => setRemoving(true)}>
          {t('environment.delete')}
        </button>
      </div>

      {(readsCluster || live.pods.length > 0) && (
        <>
          <h2 className="section-title">{t('environment.pods', { count: live.pods.length })}</h2>
          <table className="grid-table" data-testid="pods">
            <thead>
              <tr>
                <th scope="col">{t('environment.pod')}</th>
                <th scope="col">{t('environment.phase')}</th>
                <th scope="col">{t('environment.ready')}</th>
                <th scope="col">{t('environment.restarts')}</th>
                <th scope="col">{t('environment.node')}</th>
                <th scope="col">{t('environment.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {[...live.pods]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((pod) => (
                  <tr key={pod.id} className={pod.reason === undefined ? '' : 'row-problem'}>
                    <td>{pod.name}</td>
                    {/* The pod's phase as Kubernetes names it (Running, Pending), as kubectl shows it. */}
                    <td translate="no">{pod.phase}</td>
                    <td>{pod.ready ? '✓' : '—'}</td>
                    <td>{pod.restarts}</td>
                    <td>{pod.node ?? ''}</td>
                    <td>{pod.reason === undefined ? '' : say(pod.reasonSaid ?? { text: pod.reason })}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}

      {readsCluster && <LogsPanel detail={env} />}

      <div className="two-columns">
        {/* IM reports no Services or events of its own: the panel above says what it knows. */}
        {(readsCluster || live.services.length + live.ingresses.length > 0) && (
          <div>
            <h2 className="section-title">{t('environment.services')}</h2>
            <ul className="object-list">
              {live.services.map((service) => (
                <li key={service.id}>
                  <span className="kind">{service.type}</span> {service.name}{' '}
                  <span className="muted">
                    {service.ports.map((p) => (p.nodePort === undefined ? p.port : `${p.port}:${p.nodePort}`)).join(', ')}
                  </span>
                </li>
              ))}
              {live.ingresses.map((ingress) => (
                <li key={ingress.id}>
                  <span className="kind">Ingress</span> {ingress.name}{' '}
                  <span className="muted">{ingress.rules.map((r) => r.url).join(', ')}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div>
          <h2 className="section-title">{t('environment.history')}</h2>
          <ul className="object-list history-list">
            {[...env.operations].reverse().map((op) => (
              <li key={op.id}>
                <span className="kind">{t(`environment.operationKinds.${op.kind}`, { defaultValue: op.kind })}</span>
                <span>
                  {t(`environment.operationOutcomes.${op.outcome}`, { defaultValue: op.outcome })}{' '}
                  <span className="muted">
                    <RelativeTime iso={op.startedAt} />
                  </span>
                  {op.message !== undefined && <span className="history-message">{say(op.said ?? { text: op.message })}</span>}
                </span>
              </li>
            ))}
          </ul>
        </div>
      </div>

      {(readsCluster || live.events.length > 0) && <h2 className="section-title">{t('environment.events')}</h2>}
      <ul className="event-list">
        {[...live.events]
          .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))
          .slice(0, 30)
          .map((event) => (
            // Kubernetes' own words, as its events say them, in any language.
            <li key={event.id} className={event.type === 'Warning' ? 'event-warning' : ''} translate="no">
              <span className="kind">{event.reason}</span> {event.object}: {event.message}
            </li>
          ))}
      </ul>
    </section>
  );
}
