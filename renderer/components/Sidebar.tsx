import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../client/use-request';
import type { ReactNode } from 'react';
import { section, type Navigate, type Route } from '../navigation';

const SECTIONS = ['catalogue', 'environments', 'settings'] as const;

export function Sidebar({ route, onNavigate, account }: { route: Route; onNavigate: Navigate; account: ReactNode }): ReactElement {
  const { t } = useTranslation();
  const current = section(route);
  const site = useRequest('profile.get', {}).data?.active;
  // A logo the browser cannot decode (a truncated or mislabelled file) gives way to the app's own mark, not a broken image.
  const [unreadable, setUnreadable] = useState<string | undefined>();
  // The window's (and the tab's) title names the site the app is set up for.
  useEffect(() => {
    document.title = site === undefined ? t('app.name') : `${site.siteName} — ${t('app.name')}`;
  }, [site, t]);
  return (
    <aside className="sidebar">
      <div className="brand" data-testid="brand">
        {site?.logo !== undefined && site.logo !== unreadable ? (
          <img
            className="brand-logo"
            src={site.logo}
            alt={t('brand.logo', { site: site.siteName })}
            onError={() => setUnreadable(site.logo)}
          />
        ) : (
          <svg viewBox="0 0 48 48" className="brand-mark" aria-hidden="true">
            <circle cx="24" cy="12" r="5" />
            <circle cx="12" cy="34" r="5" />
            <circle cx="36" cy="34" r="5" />
          </svg>
        )}
        {site === undefined ? (
          <span>{t('app.name')}</span>
        ) : (
          <span className="brand-names">
            <span data-testid="brand-site">{site.siteName}</span>
            <span className="brand-product">{t('app.name')}</span>
          </span>
        )}
      </div>
      <nav aria-label={t('nav.main')}>
        <ul>
          {SECTIONS.map((name) => (
            <li key={name}>
              <button
                type="button"
                className="nav-item"
                aria-current={current === name ? 'page' : undefined}
                onClick={() => onNavigate({ page: name })}
              >
                {t(`nav.${name}`)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="account" aria-live="polite">
        {account}
      </div>
    </aside>
  );
}
