import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageParams } from '../../main/api';
import { useSay } from '../i18n/say';

interface Item {
  object: string;
  severity: 'mapped' | 'refused';
  /** In English; `id` and `params` say it in the user's language. */
  reason: string;
  id?: string | undefined;
  params?: MessageParams | undefined;
}

function Entry({ item }: { item: Item }): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  return (
    <li className={`capability capability-${item.severity}`}>
      <span className={`badge badge-${item.severity}`}>{t(`review.capability.${item.severity}`)}</span> <strong>{item.object}</strong>:{' '}
      {say({ id: item.id, params: item.params, text: item.reason })}
    </li>
  );
}

/**
 * What a target cannot do (always shown) and what it does differently (folded), each with the exact reason;
 * and, before deploy, the generated secrets IM would keep in its database (its connector takes only literal values).
 */
export function CapabilityList({
  items,
  target,
  secretsKeptByIm = [],
  advice,
  shape,
}: {
  items: Item[];
  target: string;
  secretsKeptByIm?: string[];
  /** One plain line saying what to choose instead; the parts refused are then folded under it. */
  advice?: string;
  /** How the template's IM shape differs from the Kubernetes one, in the template's words. */
  shape?: string | undefined;
}): ReactElement {
  const { t } = useTranslation();
  const refused = items.filter((item) => item.severity === 'refused');
  const mapped = items.filter((item) => item.severity === 'mapped');
  return (
    <div className="capability-check" data-testid="capability-check">
      {shape !== undefined && (
        <p className="notice" data-testid="im-shape">
          {shape}
        </p>
      )}
      {/* Where the plan cannot go at all, what IM would keep of it does not matter: the advice alone is said. */}
      {secretsKeptByIm.length > 0 && !(advice !== undefined && refused.length > 0) && (
        <p className="notice notice-warn" role="alert" data-testid="secrets-kept-by-im">
          {t('review.capability.secretsKeptByIm', { secrets: secretsKeptByIm.join(', ') })}
        </p>
      )}
      {refused.length === 0 ? (
        <p className="notice notice-ok">{t('review.capability.none', { target })}</p>
      ) : advice !== undefined ? (
        <>
          <p className="notice notice-warn" role="alert" data-testid="target-advice">
            {advice}
          </p>
          <details className="capability-details" data-testid="capability-refused">
            <summary>{t('targetMarks.why')}</summary>
            <ul className="capability-list">
              {refused.map((item) => (
                <Entry key={`${item.object}-${item.reason}`} item={item} />
              ))}
            </ul>
          </details>
        </>
      ) : (
        <>
          <p className="notice notice-error" role="alert">
            {t('review.capability.refusedSummary', { target, count: refused.length })}
          </p>
          <ul className="capability-list">
            {refused.map((item) => (
              <Entry key={`${item.object}-${item.reason}`} item={item} />
            ))}
          </ul>
        </>
      )}
      {mapped.length > 0 && (
        <details className="capability-details">
          <summary>{t('review.capability.mappedSummary', { count: mapped.length })}</summary>
          <ul className="capability-list">
            {mapped.map((item) => (
              <Entry key={`${item.object}-${item.reason}`} item={item} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
