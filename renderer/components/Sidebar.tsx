import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';

export type Route = 'catalogue' | 'environments' | 'settings';

const ROUTES: Route[] = ['catalogue', 'environments', 'settings'];

export function Sidebar({ route, onNavigate }: { route: Route; onNavigate: (route: Route) => void }): ReactElement {
  const { t } = useTranslation();
  return (
    <aside className="sidebar">
      <div className="brand">
        <svg viewBox="0 0 48 48" className="brand-mark" aria-hidden="true">
          <circle cx="24" cy="12" r="5" />
          <circle cx="12" cy="34" r="5" />
          <circle cx="36" cy="34" r="5" />
        </svg>
        <span>{t('app.name')}</span>
      </div>
      <nav aria-label={t('nav.main')}>
        <ul>
          {ROUTES.map((name) => (
            <li key={name}>
              <button type="button" className="nav-item" aria-current={route === name ? 'page' : undefined} onClick={() => onNavigate(name)}>
                {t(`nav.${name}`)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="account" aria-live="polite">
        <span className="account-status">{t('nav.notSignedIn')}</span>
      </div>
    </aside>
  );
}
