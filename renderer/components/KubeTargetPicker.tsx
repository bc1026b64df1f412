import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../client/client';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from './ErrorNotice';

export interface KubeTarget {
  kubeconfig?: string;
  /** Absent: the kubeconfig's current context. */
  context?: string;
}

/**
 * Which kubeconfig and context to deploy with; warns about contexts that skip
 * TLS verification. A file other than the default is chosen through the app
 * (the desktop's file dialog, or the typed path in the preview), and the
 * programs its exec plugins run are shown for the user to confirm first.
 */
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

  const [programs, setPrograms] = useState<string[]>([]);
  const [refused, setRefused] = useState<ApiError | undefined>();
  const summary = contexts.data?.contexts.find((c) => c.name === chosen);
  const warning = contexts.data?.warnings.find((w) => w.includes(`"${chosen}"`));
  const pick = (context: string): void => onChange({ ...(loaded === undefined || loaded === '' ? {} : { kubeconfig: loaded }), context });
  const adopt = (kubeconfig: string): void => {
    setFile(kubeconfig);
    setLoaded(kubeconfig);
    onChange(kubeconfig === '' ? {} : { kubeconfig });
  };
  const load = (confirmExec: boolean): void => {
    setRefused(undefined);
    setPrograms([]);
    if (file === '' && window.afp === undefined) return adopt('');
    call('kube.chooseKubeconfig', { ...(file === '' ? {} : { kubeconfig: file }), confirmExec }).then(
      (answer) => {
        if (answer.kubeconfig !== undefined) adopt(answer.kubeconfig);
        else {
          // The file picked in the dialog, shown while its programs wait for the user's confirmation.
          if (answer.pending !== undefined) setFile(answer.pending);
          setPrograms(answer.execCommands);
        }
      },
      (error: unknown) => setRefused(error instanceof ApiError ? error : new ApiError('internal', String(error))),
    );
  };

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
            <button type="button" className="button" onClick={() => load(false)}>
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
      {programs.length > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="kubeconfig-programs">
          <div>
            <p>{t('deploy.execPrograms')}</p>
            <ul>
              {programs.map((program) => (
                <li key={program}>
                  <code>{program}</code>
                </li>
              ))}
            </ul>
          </div>
          <button type="button" className="button" onClick={() => load(true)}>
            {t('deploy.execConfirm')}
          </button>
        </div>
      )}
      {refused !== undefined && <ErrorNotice error={refused} />}
      {contexts.error !== null && <ErrorNotice error={contexts.error} />}
      {summary !== undefined && (
        <p className="help">
          {t('deploy.contextSummary', { server: summary.server, user: summary.user, auth: t(`deploy.auth.${summary.auth}`) })}
          {summary.execCommand !== undefined && <> {t('deploy.execRuns', { program: summary.execCommand })}</>}
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
