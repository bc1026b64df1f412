import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnvironmentDetail } from '../../main/api';
import { ApiError, call } from '../client/client';
import { ErrorNotice } from './ErrorNotice';

/** An IM or dispatcher environment's infrastructure: its id, IM, how far IM got, and IM's log on demand. */
export function ImPanel({ detail }: { detail: EnvironmentDetail }): ReactElement {
  const { t } = useTranslation();
  const { summary, live } = detail;
  const [log, setLog] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const infrastructure = live.workloads.find((w) => w.kind === 'Infrastructure');
  const load = (): void => {
    setLoading(true);
    setError(undefined);
    call('environments.logs', { id: summary.id }).then(
      (answer) => {
        setLog(answer.text);
        setLoading(false);
      },
      (e: unknown) => {
        setError(e instanceof ApiError ? e : new ApiError('internal', String(e)));
        setLoading(false);
      },
    );
  };
  return (
    <section className="card im-panel" data-testid="im-panel" aria-labelledby="im-panel-title">
      <h2 id="im-panel-title" className="card-title">
        {t('environment.im.title')}
      </h2>
      <dl className="facts">
        <dt>{t('environment.im.infrastructure')}</dt>
        <dd data-testid="infrastructure-id">{summary.target.infrastructureId ?? t('environment.im.notYet')}</dd>
        {summary.target.imUrl !== undefined && (
          <>
            <dt>{t('environment.im.server')}</dt>
            <dd>{summary.target.imUrl}</dd>
          </>
        )}
        {infrastructure !== undefined && (
          <>
            <dt>{t('environment.im.containers')}</dt>
            <dd className="plain" data-testid="im-configured">
              {t('environment.im.configured', { ready: infrastructure.ready, desired: infrastructure.desired })}
            </dd>
          </>
        )}
      </dl>
      <div className="spread section-head">
        <h3>{t('environment.im.logs')}</h3>
        <button
          type="button"
          className="button"
          onClick={load}
          disabled={loading || summary.target.infrastructureId === undefined}
          data-testid="load-logs"
        >
          {log === undefined ? t('environment.im.showLogs') : t('environment.im.refreshLogs')}
        </button>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {log !== undefined && (
        <pre className="log-view" data-testid="im-logs" tabIndex={0}>
          {log.trim() === '' ? t('environment.im.emptyLog') : log.trimEnd()}
        </pre>
      )}
    </section>
  );
}
