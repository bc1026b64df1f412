import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnvironmentSummary } from '../../main/api';

/** A deploy that failed or was cancelled (the status message above says why): the two ways on, the same again or changed first. */
export function FailedDeployPanel({
  summary,
  onRetry,
  onBackToReview,
}: {
  summary: EnvironmentSummary;
  onRetry: () => void;
  onBackToReview: () => void;
}): ReactElement | null {
  const { t } = useTranslation();
  if (!deployFailed(summary)) return null;
  const cancelled = summary.lastOperation?.outcome === 'cancelled';
  return (
    <section className="notice notice-error failed-panel" data-testid="deploy-failed">
      <h2 className="section-title">{cancelled ? t('environment.failed.cancelledTitle') : t('environment.failed.title')}</h2>
      <div className="actions-row">
        <button type="button" className="button button-primary" data-testid="retry" onClick={onRetry}>
          {t('environment.failed.retry')}
        </button>
        <button type="button" className="button" data-testid="back-to-review" onClick={onBackToReview}>
          {t('environment.failed.backToReview')}
        </button>
      </div>
    </section>
  );
}

/** The environment's last operation was a deploy that failed or was cancelled. */
export function deployFailed(summary: EnvironmentSummary): boolean {
  const last = summary.lastOperation;
  return last?.kind === 'deploy' && (last.outcome === 'failed' || last.outcome === 'cancelled');
}
