import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanRequest } from '../../main/api';
import { ApiError, call } from '../client/client';
import { ErrorNotice } from './ErrorNotice';

/** Writes the exact manifests or TOSCA to a folder, as `afp export` does. */
export function ExportPanel({ request, defaultDirectory }: { request: PlanRequest; defaultDirectory: string }): ReactElement {
  const { t } = useTranslation();
  const [directory, setDirectory] = useState(defaultDirectory);
  const [format, setFormat] = useState<'kube' | 'tosca'>('kube');
  const [written, setWritten] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const choose = (): void => {
    void call('export.chooseFolder', { suggested: directory }).then((answer) => {
      if (answer.directory !== undefined) setDirectory(answer.directory);
    });
  };
  const save = (): void => {
    setBusy(true);
    setError(undefined);
    call('plan.export', { ...request, format, directory }).then(
      (answer) => {
        setWritten(answer.files);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e instanceof ApiError ? e : new ApiError('internal', String(e)));
        setBusy(false);
      },
    );
  };
  return (
    <div className="export-panel">
      <div className="form-row">
        <label className="field">
          <span className="field-label">{t('review.export.folder')}</span>
          <span className="field-control">
            <input
              type="text"
              spellCheck={false}
              value={directory}
              onChange={(e) => setDirectory(e.target.value)}
              data-testid="export-folder"
            />
            <button type="button" className="button" onClick={choose}>
              {t('review.export.choose')}
            </button>
          </span>
        </label>
        <label className="field">
          <span className="field-label">{t('review.export.format')}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value === 'tosca' ? 'tosca' : 'kube')} data-testid="export-format">
            <option value="kube">{t('review.export.kube')}</option>
            <option value="tosca">{t('review.export.tosca')}</option>
          </select>
        </label>
        <button type="button" className="button" disabled={busy || directory === ''} onClick={save}>
          {t('review.export.save')}
        </button>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {written.length > 0 && (
        <p className="notice notice-ok" role="status">
          {t('review.export.written')}{' '}
          {written.map((file) => (
            <code key={file}>{file}</code>
          ))}
        </p>
      )}
    </div>
  );
}
