import { useState, type ReactElement } from 'react';
import type { ApiErrorShape } from '../../main/api';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../client/client';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from '../components/ErrorNotice';
import { StatusBadge } from '../components/StatusBadge';
import { RelativeTime } from '../components/RelativeTime';
import type { Navigate } from '../navigation';
import { statusMessage, useSay } from '../i18n/say';

export function EnvironmentsPage({ navigate }: { navigate: Navigate }): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const list = useRequest('environments.list', {});
  const [linkError, setLinkError] = useState<ApiErrorShape>();
  const openLink = (id: string, linkId: string): void => {
    setLinkError(undefined);
    call('environments.openLink', { id, linkId }).catch((error: unknown) =>
      setLinkError(error instanceof ApiError ? error : new ApiError('internal', String(error))),
    );
  };
  return (
    <section aria-labelledby="environments-title">
      <header className="page-header">
        <h1 id="environments-title">{t('environments.title')}</h1>
      </header>
      {linkError !== undefined && <ErrorNotice error={linkError} />}
      {list.error !== null && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />}
      {list.data !== undefined && list.data.environments.length === 0 && <p className="empty-state">{t('environments.empty')}</p>}
      {list.data !== undefined && list.data.environments.length > 0 && (
        <ul className="card-grid">
          {list.data.environments.map((env) => (
            <li key={env.id} className="card environment-card" data-environment={env.name}>
              <div className="card-head spread">
                <h2 className="card-title">{env.name}</h2>
                <StatusBadge phase={env.status.phase} message={statusMessage(say, env.status)} operation={env.lastOperation} />
              </div>
              <p className="card-meta">
                {env.template.name} {env.template.version} · {env.target.label} · {t('environments.created')}{' '}
                <RelativeTime iso={env.createdAt} />
              </p>
              {env.status.message !== undefined && <p className="card-text status-message">{statusMessage(say, env.status)}</p>}
              <div className="card-actions">
                {env.links.length > 0 && (
                  <div className="card-links" aria-label={t('environments.links', { name: env.name })}>
                    {env.links.map((link) => (
                      <button
                        key={link.id}
                        type="button"
                        className="button button-small"
                        disabled={!link.ready}
                        data-link={link.id}
                        onClick={() => openLink(env.id, link.id)}
                      >
                        {link.title}
                      </button>
                    ))}
                  </div>
                )}
                <button type="button" className="button button-primary" onClick={() => navigate({ page: 'environment', id: env.id })}>
                  {t('environments.open')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
