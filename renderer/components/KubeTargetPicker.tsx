import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from './ErrorNotice';

export interface KubeTarget {
  kubeconfig?: string;
  /** Absent: the kubeconfig's current context. */
  context?: string;
}

/** Which kubeconfig and context to deploy with; warns about contexts that skip TLS verification. */
export function KubeTargetPicker({
  value,
  onChange,
}: {
  value: KubeTarget | undefined;
  onChange: (target: KubeTarget) => void;
}): ReactElement {
  const { t } = useTranslation();
  const [file, setFile] = useState(value?.kubeconfig ?? '');
  const [loaded, setLoaded] = useState(value?.kubeconfig);
  const contexts = useRequest('kube.contexts', loaded === undefined || loaded === '' ? {} : { kubeconfig: loaded });
  const chosen = value?.context ?? contexts.data?.currentContext ?? '';

  const summary = contexts.data?.contexts.find((c) => c.name === chosen);
  const warning = contexts.data?.warnings.find((w) => w.includes(`"${chosen}"`));
  const pick = (context: string): void => onChange({ ...(loaded === undefined || loaded === '' ? {} : { kubeconfig: loaded }), context });

  return (
    <div className="kube-target" data-testid="kube-target">
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('deploy.kubeconfig')}</span>
          <span className="field-control">
            <input
              type="text"
              spellCheck={false}
              placeholder={t('deploy.kubeconfigDefault')}
              value={file}
              onChange={(e) => setFile(e.target.value)}
              data-testid="kubeconfig-path"
            />
            <button
              type="button"
              className="button"
              onClick={() => {
                setLoaded(file);
                onChange(file === '' ? {} : { kubeconfig: file });
              }}
            >
              {t('deploy.load')}
            </button>
          </span>
        </label>
        {contexts.data !== undefined && (
          <label className="field">
            <span className="field-label">{t('deploy.context')}</span>
            <select value={chosen} onChange={(e) => pick(e.target.value)} data-testid="kube-context">
              {contexts.data.contexts.map((context) => (
                <option key={context.name} value={context.name}>
                  {context.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {contexts.error !== null && <ErrorNotice error={contexts.error} />}
      {summary !== undefined && (
        <p className="help">
          {t('deploy.contextSummary', { server: summary.server, user: summary.user, auth: t(`deploy.auth.${summary.auth}`) })}
        </p>
      )}
      {warning !== undefined && (
        <p className="notice notice-warn" role="alert">
          {warning}
        </p>
      )}
    </div>
  );
}
