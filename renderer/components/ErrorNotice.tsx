import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorShape } from '../../main/api';
import { useSay } from '../i18n/say';
import { useRequest } from '../client/use-request';
import { SupportLink } from './SupportLink';

/** An error in plain words, with where it comes from when known; never a stack trace. */
export function ErrorNotice({ error, onRetry }: { error: ApiErrorShape; onRetry?: () => void }): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const site = useRequest('profile.get', {}).data?.active;
  const where = error.file === undefined ? undefined : `${error.file}${error.line === undefined ? '' : `:${error.line}`}`;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        {where !== undefined && (
          <code className="where" translate="no">
            {where}
          </code>
        )}{' '}
        {/* A field path helps inside a file (a profile, a template); alone, e.g. "name" on a refused deploy, it is noise. */}
        {where !== undefined && error.field !== undefined && <code translate="no">{error.field}</code>} {say(error)}
      </p>
      {site?.supportUrl !== undefined && (
        <p>
          <SupportLink url={site.supportUrl} label={t('brand.support', { site: site.siteName })} />
        </p>
      )}
      {onRetry !== undefined && (
        <button type="button" className="button" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      )}
    </div>
  );
}
