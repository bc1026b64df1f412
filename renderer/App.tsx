import { useEffect, useState, type ReactElement } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../main/api';
import { ApiError, call, subscribe } from './client/client';
import { ErrorNotice } from './components/ErrorNotice';
import { Sidebar } from './components/Sidebar';
import type { Route } from './navigation';
import { ConfigurePage } from './pages/ConfigurePage';
import { DeployPage } from './pages/DeployPage';
import { EnvironmentPage } from './pages/EnvironmentPage';
import { applyBatch } from './client/live-environments';
import { applyCacheRules } from './client/cache-rules';
import { AccountMenu } from './components/AccountMenu';
import { SignInPage } from './pages/SignInPage';
import { useRequest } from './client/use-request';
import type { DeviceCodeView } from '../main/api';
import { ReviewPage } from './pages/ReviewPage';
import { CataloguePage } from './pages/CataloguePage';
import { EnvironmentsPage } from './pages/EnvironmentsPage';
import { SettingsPage } from './pages/SettingsPage';
import { useFocusHeading } from './focus-heading';
import { useNotifications } from './components/use-notifications';

const contentElement = (): HTMLElement | null => document.getElementById('content');

function applyTheme(theme: Settings['theme']): void {
  document.documentElement.dataset.theme = theme;
}

export function App({ initialSettings, startupError }: { initialSettings: Settings; startupError?: ApiError }): ReactElement {
  const { i18n } = useTranslation();
  const [route, setRoute] = useState<Route>({ page: 'catalogue' });
  const [settings, setSettings] = useState(initialSettings);
  const [error, setError] = useState<ApiError | undefined>(startupError);
  const queries = useQueryClient();
  const auth = useRequest('auth.status', {});
  const [device, setDevice] = useState<DeviceCodeView | undefined>();
  useFocusHeading(JSON.stringify(route), contentElement);
  useNotifications();

  useEffect(() => {
    applyTheme(settings.theme);
    document.documentElement.lang = settings.language;
    void i18n.changeLanguage(settings.language);
  }, [settings, i18n]);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === 'settings.changed') setSettings(event.settings);
        if (event.type === 'environments.batch') applyBatch(queries, event);
        if (event.type === 'auth.device') setDevice(event);
        // Which cached answers the event makes stale or replaces: the contract's rules (main/api.ts).
        applyCacheRules(queries, event);
      }),
    [queries],
  );

  const updateSettings = (patch: Partial<Settings>): void => {
    setSettings((current) => ({ ...current, ...patch }));
    call('settings.update', patch).then(setSettings, (e: unknown) => setError(e instanceof ApiError ? e : undefined));
  };

  return (
    <div className="app-frame">
      <a className="skip-link" href="#content">
        {i18n.t('app.skip')}
      </a>
      <Sidebar
        route={route}
        onNavigate={setRoute}
        account={
          auth.data !== undefined && (
            <AccountMenu
              status={auth.data}
              language={settings.language}
              onSignIn={() => setRoute({ page: 'signin' })}
              onSignOut={() => void call('auth.signOut', {}).then((answer) => queries.setQueryData(['auth.status', {}], answer.status))}
            />
          )
        }
      />
      <main id="content" className="content" tabIndex={-1}>
        {error !== undefined && <ErrorNotice error={error} onRetry={() => setError(undefined)} />}
        {route.page === 'catalogue' && <CataloguePage navigate={setRoute} />}
        {route.page === 'configure' && (
          <ConfigurePage
            key={`${route.template}#${route.environmentId ?? ''}`}
            template={route.template}
            initialValues={route.values}
            initialName={route.name}
            environmentId={route.environmentId}
            navigate={setRoute}
          />
        )}
        {route.page === 'review' && <ReviewPage request={route.request} environmentId={route.environmentId} navigate={setRoute} />}
        {route.page === 'environments' && <EnvironmentsPage navigate={setRoute} />}
        {route.page === 'signin' && auth.data !== undefined && (
          <SignInPage
            status={auth.data}
            {...(device === undefined ? {} : { device })}
            language={settings.language}
            onSignIn={(method) =>
              void call('auth.signIn', { method }).catch((e: unknown) => setError(e instanceof ApiError ? e : undefined))
            }
            onCancel={() => void call('auth.cancel', {})}
            onOpenLink={(url) => void call('links.open', { url })}
          />
        )}
        {route.page === 'environment' && <EnvironmentPage key={route.id} id={route.id} navigate={setRoute} />}
        {route.page === 'deploy' && (
          <DeployPage
            key={route.operationId}
            operationId={route.operationId}
            environmentId={route.environmentId}
            {...(route.kind === undefined ? {} : { kind: route.kind })}
            navigate={setRoute}
          />
        )}
        {route.page === 'settings' && <SettingsPage settings={settings} onChange={updateSettings} />}
      </main>
    </div>
  );
}
