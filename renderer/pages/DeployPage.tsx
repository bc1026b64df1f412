import { useEffect, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { call, subscribe } from '../client/client';
import { useRequest } from '../client/use-request';
import { ErrorNotice } from '../components/ErrorNotice';
import { useSay } from '../i18n/say';
import type { Navigate } from '../navigation';
import { operationView, type Done } from './operation-outcome';
import { foldComponents, mergeLines, type ComponentProgress, type Progress } from './progress-lines';

/** An operation as it happens: a bar per component, every line it reported (copyable), and cancel. */
export function DeployPage({
  operationId,
  environmentId,
  kind: started,
  navigate,
}: {
  operationId: string;
  environmentId: string;
  kind?: Done['kind'];
  navigate: Navigate;
}): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const [lines, setLines] = useState<Progress[]>([]);
  const [components, setComponents] = useState<Record<string, ComponentProgress>>({});
  const [live, setLive] = useState<Done | undefined>();

  useEffect(() => {
    let heardFirst: number | undefined;
    const unsubscribe = subscribe((event) => {
      if (event.type === 'operation.progress' && event.operationId === operationId) {
        heardFirst ??= event.seq;
        setLines((current) => mergeLines([...current, event], []));
        setComponents((current) => foldComponents(current, [event], t('deploy.imContainers')));
      }
      if (event.type === 'operation.done' && event.operationId === operationId) setLive(event);
    });
    // What was sent before this page listened (on a busy machine, the first lines, or even the end).
    let active = true;
    void call('operations.history', { operationId }).then(
      (history) => {
        if (!active) return;
        const missed = history.progress.filter((line) => heardFirst === undefined || line.seq < heardFirst);
        setLines((current) => mergeLines(current, history.progress));
        // Lines heard live are newer than those missed: they keep the last word on each component.
        setComponents((current) => ({ ...foldComponents({}, missed, t('deploy.imContainers')), ...current }));
        if (history.done !== undefined) setLive((current) => current ?? history.done);
      },
      () => undefined,
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [operationId, t]);

  // Asked from the start, so the record is fresh once the operation ends (an operation.done refreshes it) and tells
  // how an operation ended whose event came before this page listened.
  const record = useRequest('environments.get', { id: environmentId });
  const { done, neverCreated, undecided } = operationView({
    operationId,
    environmentId,
    kind: started,
    live,
    record: record.data,
    recordError: record.error?.code,
  });
  const retry = (): void =>
    void call('environments.resume', { id: environmentId }).then((started) =>
      navigate({ page: 'deploy', operationId: started.operationId, environmentId, kind: 'deploy' }),
    );
  const backToReview = (): void => {
    const summary = record.data?.summary;
    if (summary === undefined) return;
    // The record of a deploy that created nothing steps aside, so Review deploys afresh under the same name.
    void call('environments.forget', { id: environmentId }).then(() =>
      navigate({
        page: 'review',
        request: { template: summary.template.name, values: summary.values, name: summary.name, target: summary.target.kind },
      }),
    );
  };
  // A resumed operation's kind comes with its first event.
  const kind = started ?? done?.kind ?? lines[0]?.kind ?? 'deploy';
  const title =
    done === undefined
      ? t(`deploy.title.${kind}`)
      : t(`deploy.${done.outcome === 'succeeded' ? 'titleDone' : done.outcome === 'failed' ? 'titleFailed' : 'titleCancelled'}.${kind}`);
  const problems = lines.filter((line) => ['unschedulable', 'waiting', 'failed', 'conflict'].includes(line.subject.state ?? ''));
  return (
    <section aria-labelledby="deploy-title" className="deploy">
      <header className="page-header">
        <h1 id="deploy-title">{title}</h1>
        <p className="subtitle" role="status" data-testid="deploy-state">
          {done === undefined ? t('deploy.running') : neverCreated ? t('deploy.neverCreated') : t(`deploy.outcome.${done.outcome}`)}
          {done?.readiness !== undefined && ` — ${say(done.readinessSaid ?? { text: done.readiness })}`}
        </p>
      </header>
      {done?.error !== undefined && <ErrorNotice error={done.error} />}
      <ul className="component-progress">
        {Object.entries(components).map(([name, progress]) => (
          <li key={name} data-component={name}>
            <span className="bar-label">{name}</span>
            <progress max={Math.max(1, progress.desired)} value={progress.ready} aria-label={name} />
            <span className="muted">
              {progress.ready}/{progress.desired}
            </span>
          </li>
        ))}
      </ul>
      {problems.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="deploy-problems">
          <ul>
            {[...new Set(problems.map((p) => say(p)))].slice(-8).map((text) => (
              <li key={text}>
                <code>{text}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions-row">
        {done === undefined ? (
          <button type="button" className="button" onClick={() => void call('operations.cancel', { operationId })}>
            {t('deploy.cancel')}
          </button>
        ) : undecided ? null : neverCreated ? (
          <>
            <button type="button" className="button button-primary" data-testid="retry" onClick={retry}>
              {t('environment.failed.retry')}
            </button>
            <button type="button" className="button" data-testid="back-to-review" onClick={backToReview}>
              {t('environment.failed.backToReview')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button-primary"
            onClick={() =>
              navigate(
                done.kind === 'delete' && done.outcome === 'succeeded'
                  ? { page: 'environments' }
                  : { page: 'environment', id: environmentId },
              )
            }
          >
            {done.kind === 'delete' && done.outcome === 'succeeded' ? t('nav.environments') : t('deploy.openEnvironment')}
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={lines.length === 0}
          onClick={() => void navigator.clipboard.writeText(lines.map((l) => `${l.at} ${say(l)}`).join('\n'))}
        >
          {t('deploy.copyLog')}
        </button>
      </div>
      {/* A deploy refused before it began has no lines: no empty box. */}
      {lines.length > 0 && (
        <ol className="progress-log" data-testid="progress-log">
          {lines.map((line) => (
            <li key={line.seq}>
              <span className="muted">{new Date(line.at).toLocaleTimeString()}</span> {say(line)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
