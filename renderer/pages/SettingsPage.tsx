import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, THEMES, type Settings } from '../../main/api';
import { useRequest } from '../client/use-request';
import { ProfileSettings } from '../components/ProfileSettings';

export function SettingsPage({ settings, onChange }: { settings: Settings; onChange: (patch: Partial<Settings>) => void }): ReactElement {
  const { t } = useTranslation();
  const info = useRequest('app.info', {});
  return (
    <section aria-labelledby="settings-title">
      <header className="page-header">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      <div className="form-stack">
        <label className="field">
          <span className="field-label">{t('settings.language')}</span>
          <select
            value={settings.language}
            onChange={(e) => onChange({ language: e.target.value as Settings['language'] })}
            data-testid="language"
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`settings.languages.${language}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend className="field-label">{t('settings.theme')}</legend>
          {THEMES.map((theme) => (
            <label key={theme} className="radio">
              <input type="radio" name="theme" value={theme} checked={settings.theme === theme} onChange={() => onChange({ theme })} />
              {t(`settings.themes.${theme}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <span className="field-label">{t('settings.about')}</span>
          {info.data !== undefined && (
            <p>
              {info.data.name} {info.data.version} · {t(`settings.shell.${info.data.shell}`)} · {info.data.platform}
            </p>
          )}
        </div>
      </div>
      <ProfileSettings />
    </section>
  );
}
