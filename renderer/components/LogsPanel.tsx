/**
 * The Environment page's Logs card (Kubernetes environments): choose a
 * component, one of its pods and a container, then show its log — the last
 * lines, followed live if asked, or the previous instance's after a crash —
 * in a box that scrolls by itself; copy or download what is shown. Holds the
 * last LOG_BOUNDS.lines lines and says how many earlier ones it let go.
 */
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { LOG_BOUNDS, type EnvironmentDetail, type LogSources } from '../../main/api';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from './ErrorNotice';
import { useCopy } from './use-copy';
import { useLogStream, type LogSelection } from './use-log-stream';

type SourcePod = LogSources['pods'][number];

export function LogsPanel({ detail }: { detail: EnvironmentDetail }): ReactElement {
  const { t } = useTranslation();
  const id = detail.summary.id;
  // Asked again every 5 s too: pods the app did not make (a hub's user servers) restart without the page's live pods changing.
  const sources = useRequest('environments.logSources', { id }, { refetchIntervalMs: 5000 });
  const podNames = detail.live.pods.map((p) => `${p.name}:${p.restarts}`).join(',');
  const { refetch } = sources;
  // The pods come and go (and restart): ask again for the sources when the page's live pods change.
  useEffect(() => void refetch(), [podNames, refetch]);
  const pods = sources.data?.pods ?? [];
  const components = [...new Set(pods.map((p) => p.component ?? ''))];
  const [component, setComponent] = useState<string | undefined>();
  const [podName, setPodName] = useState<string | undefined>();
  const [containerName, setContainerName] = useState<string | undefined>();
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [shown, setShown] = useState<LogSelection | undefined>();
  const [generation, setGeneration] = useState(0);
  const [stopped, setStopped] = useState(false);

  const chosenComponent = component !== undefined && components.includes(component) ? component : components[0];
  const podsOf = pods.filter((p) => (p.component ?? '') === chosenComponent);
  const pod: SourcePod | undefined = podsOf.find((p) => p.name === podName) ?? podsOf[0];
  const container = pod?.containers.find((c) => c.name === containerName) ?? pod?.containers.find((c) => !c.init);
  const canPrevious = container?.hasPrevious === true;
  const log = useLogStream(shown, generation);
  const text = useMemo(() => log.lines.join('\n'), [log.lines]);
  const { copied, copy } = useCopy();
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    // Keep the newest line in sight while following, unless the reader scrolled up.
    const el = box.current;
    if (el !== null && shown?.follow === true && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [text, shown]);

  const show = (): void => {
    if (pod === undefined || container === undefined) return;
    setShown({ id, pod: pod.name, container: container.name, follow: follow && !previous, previous: previous && canPrevious });
    setGeneration((g) => g + 1);
    setStopped(false);
  };
  const download = (): void => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${detail.summary.name}-${shown?.pod ?? 'log'}-${shown?.container ?? ''}${shown?.previous === true ? '-previous' : ''}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section className="card logs-panel" data-testid="logs-panel" aria-labelledby="logs-title">
      <h2 id="logs-title" className="card-title">
        {t('environment.logs.title')}
      </h2>
      {sources.error !== null && <ErrorNotice error={sources.error} onRetry={() => void refetch()} />}
      {sources.data !== undefined && pods.length === 0 && <p className="help">{t('environment.logs.noPods')}</p>}
      {pods.length > 0 && (
        <div className="logs-controls">
          <label>
            <span className="field-label">{t('environment.logs.component')}</span>
            <select data-testid="log-component" value={chosenComponent} onChange={(e) => setComponent(e.target.value)}>
              {components.map((c) => (
                <option key={c} value={c}>
                  {c === '' ? t('environment.logs.noComponent') : c}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="field-label">{t('environment.logs.pod')}</span>
            <select data-testid="log-pod" value={pod?.name} onChange={(e) => setPodName(e.target.value)}>
              {podsOf.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="field-label">{t('environment.logs.container')}</span>
            <select data-testid="log-container" value={container?.name} onChange={(e) => setContainerName(e.target.value)}>
              {pod?.containers.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.init ? t('environment.logs.initContainer', { name: c.name }) : c.name}
                  {c.restarts > 0 ? ` (${t('environment.logs.restarts', { count: c.restarts })})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              data-testid="log-follow"
              checked={follow && !previous}
              disabled={previous}
              onChange={(e) => setFollow(e.target.checked)}
            />
            {t('environment.logs.follow')}
          </label>
          <label className="check" title={canPrevious ? undefined : t('environment.logs.noPrevious')}>
            <input
              type="checkbox"
              data-testid="log-previous"
              checked={previous && canPrevious}
              disabled={!canPrevious}
              onChange={(e) => setPrevious(e.target.checked)}
            />
            {t('environment.logs.previous')}
          </label>
          <button type="button" className="button button-primary" data-testid="show-log" disabled={container === undefined} onClick={show}>
            {shown === undefined ? t('environment.logs.show') : t('environment.logs.reload')}
          </button>
        </div>
      )}
      {log.error !== undefined && <ErrorNotice error={log.error} />}
      {shown !== undefined && (
        <>
          <div className="spread logs-status">
            <p className="help" data-testid="log-state" aria-live="polite">
              {log.running && shown.follow
                ? t('environment.logs.following')
                : log.running
                  ? t('environment.logs.reading')
                  : stopped
                    ? t('environment.logs.stopped')
                    : t('environment.logs.ended')}
              {log.dropped > 0 && ` · ${t('environment.logs.dropped', { count: log.dropped, max: LOG_BOUNDS.lines })}`}
            </p>
            <span className="logs-actions">
              {log.running && shown.follow && (
                <button
                  type="button"
                  className="button button-small"
                  data-testid="stop-log"
                  onClick={() => {
                    setStopped(true);
                    log.stop();
                  }}
                >
                  {t('environment.logs.stop')}
                </button>
              )}
              <button
                type="button"
                className="button button-small"
                data-testid="copy-log"
                disabled={text === ''}
                onClick={() => copy(text)}
              >
                {copied ? t('environment.credentials.copied') : t('environment.logs.copy')}
              </button>
              <button type="button" className="button button-small" data-testid="download-log" disabled={text === ''} onClick={download}>
                {t('environment.logs.download')}
              </button>
            </span>
          </div>
          <pre className="log-view container-log" data-testid="container-log" tabIndex={0} ref={box}>
            {text === '' && !log.running ? t('environment.logs.empty') : text}
          </pre>
        </>
      )}
    </section>
  );
}
