import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnvironmentDetail } from '../../main/api';

type Loss = EnvironmentDetail['losses'][number];

/**
 * Delete or forget, after typing the environment's name. Delete removes it
 * from its cluster (and says what is lost, from the plan); Forget only drops
 * the app's record and touches no cluster.
 */
export function DeletePanel({
  detail,
  onDelete,
  onForget,
  onClose,
}: {
  detail: EnvironmentDetail;
  onDelete: () => void;
  onForget: () => void;
  onClose: () => void;
}): ReactElement {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const { name } = detail.summary;
  const confirmed = typed === name;
  return (
    <section className="notice notice-error delete-panel" role="dialog" aria-labelledby="delete-title" data-testid="delete-panel">
      <h2 id="delete-title" className="section-title">
        {t('environment.remove.title', { name })}
      </h2>
      <h3>{t('environment.remove.deleteHeading')}</h3>
      <p>{t('environment.remove.deleteHelp')}</p>
      <ul data-testid="losses">
        {detail.losses.map((loss) => (
          <li key={`${loss.kind}/${loss.name}`}>{lossText(t, loss)}</li>
        ))}
      </ul>
      <h3>{t('environment.remove.forgetHeading')}</h3>
      <p>{t('environment.remove.forgetHelp')}</p>
      <label htmlFor="confirm-name">{t('environment.remove.typeName', { name })}</label>
      <input id="confirm-name" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
      <div className="actions-row">
        <button type="button" className="button button-danger" disabled={!confirmed} data-testid="confirm-delete" onClick={onDelete}>
          {t('environment.remove.delete', { name })}
        </button>
        <button type="button" className="button" disabled={!confirmed} data-testid="confirm-forget" onClick={onForget}>
          {t('environment.remove.forget', { name })}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('environment.remove.cancel')}
        </button>
      </div>
    </section>
  );
}

function lossText(t: (key: string, values: Record<string, string>) => string, loss: Loss): string {
  const values = { name: loss.name, size: loss.size ?? '', component: loss.component ?? '' };
  if (loss.kind === 'volume')
    return t(loss.size === undefined ? 'environment.remove.loss.volumeNoSize' : 'environment.remove.loss.volume', values);
  return t(`environment.remove.loss.${loss.kind}`, values);
}
