import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnvironmentDetail } from '../../main/api';

/** What was changed outside the app: per field, what the plan asked, what the cluster holds and who changed it; Restore undoes it. */
export function DriftPanel({ detail, onRestore }: { detail: EnvironmentDetail; onRestore: () => void }): ReactElement | null {
  const { t } = useTranslation();
  const drift = detail.live.drift;
  if (drift.length === 0) return null;
  return (
    <section className="notice notice-warn drift-panel" aria-labelledby="drift-title" data-testid="drift">
      <h2 id="drift-title" className="section-title">
        {t('environment.drift.title')}
      </h2>
      <p>{t('environment.drift.help')}</p>
      <table className="grid-table">
        <thead>
          <tr>
            <th scope="col">{t('environment.drift.object')}</th>
            <th scope="col">{t('environment.drift.field')}</th>
            <th scope="col">{t('environment.drift.expected')}</th>
            <th scope="col">{t('environment.drift.found')}</th>
            <th scope="col">{t('environment.drift.manager')}</th>
          </tr>
        </thead>
        <tbody>
          {drift.map((row) => (
            <tr key={row.id} data-field={row.field}>
              <td>
                {row.kind} {row.name}
              </td>
              <td>
                <code>{row.field === '(object)' ? t('environment.drift.wholeObject') : row.field}</code>
              </td>
              <td>{row.field === '(object)' ? t('environment.drift.present') : <code>{row.expected}</code>}</td>
              <td>{row.field === '(object)' ? t('environment.drift.deleted') : <code>{row.found}</code>}</td>
              <td>{row.manager ?? t('environment.drift.unknownManager')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions-row">
        <button type="button" className="button button-primary" data-testid="restore" onClick={onRestore}>
          {t('environment.drift.restore')}
        </button>
        <span className="help">{t('environment.drift.restoreHelp')}</span>
      </div>
    </section>
  );
}
