import { useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanRequest } from '../../main/api';
import { ApiError, call } from '../client/client';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from './ErrorNotice';

/** Writes the exact manifests or TOSCA to a folder, as `afp export` does. */
export function ExportPanel({ request, defaultDirectory }: { request: PlanRequest; defaultDirectory: string }): ReactElement {
  const { t } = useTranslation();
  const [directory, setDirectory] = useState(defaultDirectory);
  const [format, setFormat] = useState<'kube' | 'tosca'>('kube');
  const [written, setWritten] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [noDialog, setNoDialog] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const info = useRequest('app.info', {});

  // The preview has no folder dialog: the field is where the folder is given, and the button says so.
  const choose = (): void => {
    if (info.data?.shell === 'browser-preview') {
      setNoDialog(true);
      field.current?.focus();
      return;
    }
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
              ref={field}
              aria-describedby={noDialog ? 'export-no-dialog' : undefined}
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
      {noDialog && (
        <p className="help" id="export-no-dialog" role="status" data-testid="export-no-dialog">
          {t('exportChoose.preview')}
        </p>
      )}
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
