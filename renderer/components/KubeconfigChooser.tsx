import { useState, type ReactElement } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../client/client';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from './ErrorNotice';

/**
 * Chooses the kubeconfig the app uses from now on: Electron's file dialog in
 * the desktop app, a typed path in the browser preview (which has no dialog,
 * and says so). The programs a file's exec plugins run are shown for the user
 * to confirm first; the choice is remembered by the app and every page that
 * reads a cluster asks again.
 */
export function KubeconfigChooser({ chosen }: { chosen?: string | undefined }): ReactElement {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const info = useRequest('app.info', {});
  const desktop = info.data?.shell === 'electron';
  const [file, setFile] = useState(chosen ?? '');
  const [programs, setPrograms] = useState<string[]>([]);
  const [refused, setRefused] = useState<ApiError | undefined>();

  const refresh = (): void => {
    // Every answer that read the old kubeconfig (contexts, the fit on "Cluster now").
    void queries.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'kube.contexts' || q.queryKey[0] === 'capacity.fit' });
  };
  const choose = (input: { kubeconfig?: string; confirmExec?: boolean; useDefault?: boolean }): void => {
    setRefused(undefined);
    setPrograms([]);
    call('kube.chooseKubeconfig', input).then(
      (answer) => {
        if (answer.kubeconfig !== undefined) {
          setFile(answer.kubeconfig);
          refresh();
        } else if (input.useDefault === true) {
          setFile('');
          refresh();
        } else {
          // The file picked in the dialog, shown while its programs wait for the user's confirmation.
          if (answer.pending !== undefined) setFile(answer.pending);
          setPrograms(answer.execCommands);
        }
      },
      (error: unknown) => setRefused(error instanceof ApiError ? error : new ApiError('internal', String(error))),
    );
  };
  const typed = file === '' ? {} : { kubeconfig: file };

  return (
    <div className="kubeconfig-chooser" data-testid="kubeconfig-chooser">
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('clusters.pathLabel')}</span>
          <span className="field-control">
            <input
              type="text"
              spellCheck={false}
              placeholder={t('clusters.pathPlaceholder')}
              value={file}
              readOnly={desktop}
              onChange={(e) => setFile(e.target.value)}
              data-testid="kubeconfig-path"
              aria-describedby={desktop ? undefined : 'kubeconfig-path-help'}
            />
            {desktop ? (
              <button type="button" className="button" onClick={() => choose(typed)}>
                {t('clusters.chooseFile')}
              </button>
            ) : (
              <button type="button" className="button" disabled={file === ''} onClick={() => choose(typed)}>
                {t('clusters.load')}
              </button>
            )}
          </span>
        </label>
        {chosen !== undefined && (
          <button type="button" className="button" onClick={() => choose({ useDefault: true })} data-testid="kubeconfig-default">
            {t('clusters.useDefault')}
          </button>
        )}
      </div>
      {!desktop && (
        <p className="help" id="kubeconfig-path-help">
          {t('clusters.pathHelpPreview')}
        </p>
      )}
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
          <button type="button" className="button" onClick={() => choose({ ...typed, confirmExec: true })}>
            {t('deploy.execConfirm')}
          </button>
        </div>
      )}
      {refused !== undefined && <ErrorNotice error={refused} />}
    </div>
  );
}
