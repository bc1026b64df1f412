/**
 * The Environment page's Credentials card: what the owner needs to sign in,
 * labelled, hidden until Reveal or Copy asks the main process (which reads the
 * environment's Secrets then, or through IM the TOSCA document IM keeps). The values live in this card's state only, so
 * they are gone when the page is left.
 */
import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { CredentialsView, CredentialView, EnvironmentDetail } from '../../main/api';
import { ApiError, call } from '../client/client';
import { ErrorNotice } from './ErrorNotice';
import { useCopy } from './use-copy';

const MASK = '••••••••••••';

export function CredentialsPanel({ detail }: { detail: EnvironmentDetail }): ReactElement | null {
  const { t } = useTranslation();
  const [view, setView] = useState<CredentialsView | undefined>();
  const [shown, setShown] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  if (detail.credentials.length === 0) return null;

  const read = async (): Promise<CredentialsView | undefined> => {
    if (view !== undefined) return view;
    setLoading(true);
    setError(undefined);
    try {
      const answer = await call('environments.credentials', { id: detail.summary.id });
      setView(answer);
      return answer;
    } catch (e: unknown) {
      setError(e instanceof ApiError ? e : new ApiError('internal', String(e)));
      return undefined;
    } finally {
      setLoading(false);
    }
  };
  const valueOf = async (id: string): Promise<CredentialView | undefined> => (await read())?.credentials.find((c) => c.id === id);

  return (
    <section className="card credentials-panel" data-testid="credentials-panel" aria-labelledby="credentials-title">
      <div className="spread section-head">
        <h2 id="credentials-title" className="card-title">
          {t('environment.credentials.title')}
        </h2>
        <button
          type="button"
          className="button"
          data-testid="reveal-credentials"
          disabled={loading}
          aria-pressed={shown}
          onClick={() => {
            if (shown) setShown(false);
            else void read().then((answer) => setShown(answer !== undefined));
          }}
        >
          {loading ? t('environment.credentials.loading') : shown ? t('environment.credentials.hide') : t('environment.credentials.reveal')}
        </button>
      </div>
      {/* Through IM the values come from the TOSCA IM keeps, not from the cluster's Secrets: say where they are read and who else can. */}
      <p className="help">
        {t(detail.summary.target.traits.readsCluster ? 'environment.credentials.help' : 'environment.credentials.helpIm')}
      </p>
      {error !== undefined && <ErrorNotice error={error} />}
      {view?.unavailable !== undefined && <p className="notice notice-warn">{view.unavailable}</p>}
      <dl className="facts credentials">
        {detail.credentials.map((label) => {
          const value = shown ? view?.credentials.find((c) => c.id === label.id) : undefined;
          return (
            <div key={label.id} className="credential" data-credential={label.id}>
              <dt>{label.title}</dt>
              <dd>
                {label.withUsername && (
                  <CredentialField
                    name={t('environment.credentials.username')}
                    copyLabel={t('environment.credentials.copyUsername', { title: label.title })}
                    value={value?.username}
                    shown={shown}
                    field="username"
                    fetch={async () => (await valueOf(label.id))?.username}
                  />
                )}
                <CredentialField
                  name={t('environment.credentials.secret')}
                  copyLabel={t('environment.credentials.copySecret', { title: label.title })}
                  value={value?.secret}
                  shown={shown}
                  field="secret"
                  fetch={async () => (await valueOf(label.id))?.secret}
                />
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

/** One value: masked until revealed; Copy reads it first when it has not been read yet. */
function CredentialField(props: {
  name: string;
  copyLabel: string;
  value: string | undefined;
  shown: boolean;
  field: 'username' | 'secret';
  fetch: () => Promise<string | undefined>;
}): ReactElement {
  const { t } = useTranslation();
  const { copied, copy } = useCopy();
  return (
    <span className="credential-field">
      <span className="muted credential-name">{props.name}</span>
      <code className="credential-value" data-field={props.field}>
        {props.shown && props.value !== undefined ? props.value : MASK}
      </code>
      <button
        type="button"
        className="button button-small"
        aria-label={props.copyLabel}
        data-copy={props.field}
        onClick={() => void props.fetch().then((text) => text !== undefined && copy(text))}
      >
        {copied ? t('environment.credentials.copied') : t('environment.credentials.copy')}
      </button>
    </span>
  );
}
