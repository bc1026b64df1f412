import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../main/api';
import { ApiError, call } from '../client/client';
import { useRequest } from '../client/use-request';
import { useSay } from '../i18n/say';
import { ErrorNotice } from './ErrorNotice';
import { LockedSettingRow } from './LockedSettingRow';
import { SupportLink } from './SupportLink';

/** The site profile in force, where it came from, every locked setting, and a file chooser. */
export function ProfileSettings(): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const queries = useQueryClient();
  const profile = useRequest('profile.get', {});
  const [file, setFile] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const apply = (next: string | null): void => {
    call('profile.choose', { file: next }).then(
      (view) => {
        queries.setQueryData(['profile.get', {}], view);
        setError(undefined);
      },
      (e: unknown) => setError(e instanceof ApiError ? e : new ApiError('internal', String(e))),
    );
  };
  if (profile.data === undefined) return <p>{t('catalogue.loading')}</p>;
  const view: ProfileView = profile.data;
  const shown = file ?? view.chosenFile ?? '';

  return (
    <section className="settings-section" aria-labelledby="profile-title" data-testid="profile-settings">
      <h2 id="profile-title">{t('profile.title')}</h2>
      {view.active === undefined ? (
        <p className="muted">{t('profile.none', { path: view.systemPath })}</p>
      ) : (
        <div className="profile-card">
          <p>
            <strong>{view.active.siteName}</strong> · <code>{view.active.file}</code>
          </p>
          <p className="muted">{t('profile.source', { source: say(view.active.sourceLabel) })}</p>
          <p className="muted">{say(view.active.summary)}</p>
          {view.active.supportUrl !== undefined && (
            <p>
              {t('brand.supportLink')}: <SupportLink url={view.active.supportUrl} label={view.active.supportUrl} />
            </p>
          )}
          {view.active.lockedSettings.length > 0 && (
            <table className="locks">
              <caption>{t('profile.locked')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('profile.template')}</th>
                  <th scope="col">{t('profile.setting')}</th>
                  <th scope="col">{t('profile.value')}</th>
                  <th scope="col">{t('profile.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {view.active.lockedSettings.map((lock) => (
                  <LockedSettingRow key={`${lock.template}.${lock.param}`} lock={lock} />
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {view.problems.map((problem) => (
        <ErrorNotice key={`${problem.file ?? ''}:${problem.line ?? ''}:${problem.message}`} error={problem} />
      ))}
      {view.problems.length > 0 && view.active !== undefined && <p className="muted">{t('profile.keptLastGood')}</p>}
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('profile.chooseFile')}</span>
          <span className="field-control">
            <input
              type="text"
              className="wide"
              spellCheck={false}
              value={shown}
              onChange={(e) => setFile(e.target.value)}
              data-testid="profile-file"
            />
            <button type="button" className="button" onClick={() => apply(shown === '' ? null : shown)}>
              {t('profile.apply')}
            </button>
            {view.chosenFile !== undefined && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setFile('');
                  apply(null);
                }}
              >
                {t('profile.clear')}
              </button>
            )}
          </span>
        </label>
      </div>
      <p className="help">{t('profile.precedence')}</p>
      {error !== undefined && <ErrorNotice error={error} />}
    </section>
  );
}
