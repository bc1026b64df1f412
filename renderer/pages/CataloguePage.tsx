import { useEffect, useRef, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { localCard } from '../i18n/template-text';
import type { TemplateCard, TemplateErrorCard } from '../../main/api';
import { useRequest } from '../client/use-request';
import { ClusterStatus } from '../components/ClusterStatus';
import { ErrorNotice } from '../components/ErrorNotice';
import { TemplateIcon } from '../components/TemplateIcon';
import type { Navigate } from '../navigation';

export function CataloguePage({ navigate }: { navigate: Navigate }): ReactElement {
  const { t } = useTranslation();
  const { data, error, isPending, refetch } = useRequest('templates.list', {});
  const clusters = useRequest('kube.contexts', {});
  // The first answer comes without the target marks; catalogue.changed says when the app can give them. An event
  // stream that connected after that event would leave the cards unmarked, so while an answer lacks them it is asked
  // again, twice a second for at most ten seconds.
  const marksPending = data !== undefined && data.templates.some((card) => card.targets === undefined);
  const askedForMarks = useRef(0);
  useEffect(() => {
    if (!marksPending || askedForMarks.current >= 20) return;
    const timer = setTimeout(() => {
      askedForMarks.current += 1;
      void refetch();
    }, 500);
    return () => clearTimeout(timer);
  }, [marksPending, data, refetch]);
  return (
    <section aria-labelledby="catalogue-title">
      <header className="page-header">
        <h1 id="catalogue-title">{t('catalogue.title')}</h1>
        <p className="subtitle">{t('catalogue.subtitle')}</p>
      </header>
      {clusters.data !== undefined && <ClusterStatus view={clusters.data} />}
      {error !== null && <ErrorNotice error={error} onRetry={() => void refetch()} />}
      {isPending && <p aria-live="polite">{t('catalogue.loading')}</p>}
      {data !== undefined && data.templates.length === 0 && data.errors.length === 0 && <p>{t('catalogue.empty')}</p>}
      {data !== undefined && (
        <ul className="card-grid" aria-label={t('catalogue.title')}>
          {data.templates.map((template) => (
            <TemplateCardView
              key={template.name}
              template={template}
              onConfigure={() => navigate({ page: 'configure', template: template.name })}
            />
          ))}
          {data.errors.map((broken) => (
            <BrokenTemplateCard key={broken.file} broken={broken} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TemplateCardView({ template: written, onConfigure }: { template: TemplateCard; onConfigure: () => void }): ReactElement {
  const { t, i18n } = useTranslation();
  const template = localCard(written, i18n.language);
  return (
    <li className="card template-card" data-template={template.name}>
      <div className="card-head">
        <TemplateIcon icon={template.icon} name={template.name} />
        <div>
          <h2 className="card-title">{template.title}</h2>
          <p className="card-meta">
            {t('catalogue.version', { version: template.version })} ·{' '}
            <span className={`badge badge-${template.source}`}>{t(`catalogue.source.${template.source}`)}</span>
          </p>
        </div>
      </div>
      <p className="card-text">{template.description}</p>
      <div className="chips" aria-label={t('catalogue.components')}>
        {template.components.map((component) => (
          <span key={component} className="chip">
            {component}
          </span>
        ))}
      </div>
      {template.targets !== undefined && template.targets.length > 1 && (
        <div className="target-marks-row">
          <span className="muted">{t('targetMarks.label')}:</span>
          <ul className="target-marks" aria-label={t('targetMarks.label')} data-testid="target-marks">
            {template.targets.map((mark) => {
              const target = t(`review.targets.${mark.kind}`);
              return (
                <li
                  key={mark.kind}
                  className={`badge ${mark.ok ? 'badge-fits' : 'badge-refused'}`}
                  data-target-mark={mark.kind}
                  data-ok={mark.ok}
                  title={mark.ok ? target : t('targetMarks.noTitle', { target })}
                  aria-label={t(mark.ok ? 'targetMarks.ok' : 'targetMarks.no', { target })}
                >
                  <span aria-hidden="true">{mark.ok ? '✓' : '✗'}</span> {t(`targetMarks.short.${mark.kind}`)}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div className="card-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={onConfigure}
          aria-label={`${t('catalogue.configure')} ${template.title}`}
        >
          {t('catalogue.configure')}
        </button>
      </div>
    </li>
  );
}

function BrokenTemplateCard({ broken }: { broken: TemplateErrorCard }): ReactElement {
  const { t } = useTranslation();
  const where = `${broken.error.file ?? broken.file}${broken.error.line === undefined ? '' : `:${broken.error.line}`}`;
  return (
    <li className="card card-error" role="group" aria-label={t('catalogue.brokenTitle')} data-broken-file={broken.file}>
      <h2 className="card-title">{t('catalogue.brokenTitle')}</h2>
      <p className="card-text">
        <code className="where">{where}</code>
      </p>
      <p className="card-text">
        {broken.error.field !== undefined && <code>{broken.error.field}: </code>}
        {broken.error.message}
      </p>
    </li>
  );
}
