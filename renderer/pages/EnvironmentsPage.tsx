import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

export function EnvironmentsPage(): ReactElement {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="environments-title">
      <header className="page-header">
        <h1 id="environments-title">{t('environments.title')}</h1>
      </header>
      <p className="empty-state">{t('environments.empty')}</p>
    </section>
  );
}
