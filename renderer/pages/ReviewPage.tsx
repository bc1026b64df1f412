import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanRequest, TargetChoiceView } from '../../main/api';
import { useRequest } from '../client/use-request';
import { CapabilityList } from '../components/CapabilityList';
import { CodeViewer } from '../components/CodeViewer';
import { ErrorNotice } from '../components/ErrorNotice';
import { useSay } from '../i18n/say';
import { ExportPanel } from '../components/ExportPanel';
import { offeredTargets, TargetChooser } from '../components/TargetChooser';
import { ApiError, call } from '../client/client';
import { askNotificationPermissionOnce } from '../client/notifications';
import type { Navigate } from '../navigation';

type Tab = 'objects' | 'yaml' | 'tosca';

/** The plan before it goes out: a new environment to a chosen target, or (`environmentId`) new settings for one that runs. */
export function ReviewPage({
  request,
  environmentId,
  navigate,
}: {
  request: PlanRequest;
  environmentId?: string | undefined;
  navigate: Navigate;
}): ReactElement {
  const { t, i18n } = useTranslation();
  const say = useSay();
  const [choice, setChoice] = useState<TargetChoiceView>({ kind: request.target });
  const existing = useRequest('environments.get', { id: environmentId ?? '' }, { enabled: environmentId !== undefined });
  const updating = environmentId === undefined ? undefined : existing.data?.summary;
  const target = updating?.target.kind ?? choice.kind;
  const [tab, setTab] = useState<Tab>('objects');
  const profile = useRequest('profile.get', {});
  const auth = useRequest('auth.status', {});
  const [deployError, setDeployError] = useState<ApiError | undefined>();
  const [deploying, setDeploying] = useState(false);
  const [kubeUsable, setKubeUsable] = useState(false);
  const catalogue = useRequest('templates.list', {});
  const start = (kind: 'deploy' | 'update', request: () => Promise<{ operationId: string; environmentId: string }>): void => {
    // The first deploy is when being told it is ready starts to matter: the browser asks once, now.
    askNotificationPermissionOnce();
    setDeploying(true);
    setDeployError(undefined);
    request().then(
      (started) => navigate({ page: 'deploy', ...started, kind }),
      (e: unknown) => {
        setDeploying(false);
        setDeployError(e instanceof ApiError ? e : new ApiError('internal', String(e)));
      },
    );
  };
  const deploy = (): void => start('deploy', () => call('environments.deploy', { plan: { ...request, target }, target: choice }));
  const update = (id: string): void =>
    start('update', () =>
      call('environments.update', { id, values: request.values }).then((started) => ({
        operationId: started.operationId,
        environmentId: id,
      })),
    );
  const plan = useRequest('plan.render', { ...request, target });
  const info = useRequest('app.info', {});
  const back = (): void =>
    navigate({
      page: 'configure',
      template: request.template,
      values: request.values,
      ...(request.name === undefined ? {} : { name: request.name }),
      ...(environmentId === undefined ? {} : { environmentId }),
    });

  if (plan.error !== null) return <ErrorNotice error={plan.error} onRetry={() => void plan.refetch()} />;
  if (existing.error !== null) return <ErrorNotice error={existing.error} onRetry={() => void existing.refetch()} />;
  if (plan.data === undefined || (environmentId !== undefined && updating === undefined))
    return <p aria-live="polite">{t('review.rendering')}</p>;
  if (!plan.data.valid) {
    return (
      <section>
        <h1>{t('review.title')}</h1>
        {plan.data.problems.map((p) => (
          <ErrorNotice key={`${p.field ?? ''}${p.message}`} error={p} />
        ))}
        <button type="button" className="button" onClick={back}>
          {t('review.back')}
        </button>
      </section>
    );
  }
  const view = plan.data;
  const totalObjects = view.shared.length + view.components.reduce((n, c) => n + c.objects.length, 0);
  const capability = view.capability;
  const card = catalogue.data?.templates.find((entry) => entry.name === request.template);
  // The template's own paragraph in the user's language when its translations give one.
  const shape = capability.shape === undefined ? undefined : (card?.translations?.[i18n.language]?.im?.summary ?? capability.shape);
  const offered = offeredTargets(profile.data);
  // A choice the site stopped offering (profile changed) cannot be deployed; nor a kubeconfig target without a usable cluster.
  const refused = target === 'kube' ? !kubeUsable : !capability.ok || !offered.includes(target) || auth.data?.state !== 'signed-in';
  // What to choose instead, from the capability check's verdicts the Catalogue marks with.
  const instead = (card?.targets ?? []).filter((mark) => mark.ok && mark.kind !== target).map((mark) => t(`review.targets.${mark.kind}`));
  const refusedCount = capability.items.filter((item) => item.severity === 'refused').length;
  const advice =
    target === 'kube' || capability.ok
      ? undefined
      : instead.length > 0
        ? t('targetMarks.chooseInstead', { target: t(`review.targets.${target}`), count: refusedCount, instead: instead.join(' / ') })
        : t('targetMarks.chooseInsteadNone', { target: t(`review.targets.${target}`), count: refusedCount });

  return (
    <section aria-labelledby="review-title" className="review">
      <header className="page-header">
        <p className="breadcrumb">
          <button type="button" className="link-button" onClick={back}>
            {t('review.back')}
          </button>
        </p>
        <h1 id="review-title">{t('review.title')}</h1>
        <p className="subtitle">
          {t('review.summary', {
            name: view.environment.name,
            namespace: view.environment.namespace,
            objects: totalObjects,
            waves: view.waves,
          })}
        </p>
      </header>

      {updating !== undefined ? (
        <div className="deploy-box" data-testid="update-box">
          <h2 className="card-title">{t('review.updateTitle', { name: updating.name })}</h2>
          <p className="muted">{t('review.updateOn', { target: updating.target.label })}</p>
          {target !== 'kube' && <p className="help">{t('review.updateRedeploys')}</p>}
          {target !== 'kube' && (
            <CapabilityList
              items={capability.items}
              secretsKeptByIm={capability.secretsKeptByIm}
              shape={shape}
              target={t(`review.targets.${target}`)}
            />
          )}
          {deployError !== undefined && <ErrorNotice error={deployError} />}
          <button
            type="button"
            className="button button-primary"
            disabled={deploying || (target !== 'kube' && !capability.ok)}
            onClick={() => update(updating.id)}
            data-testid="update"
          >
            {t('review.update')}
          </button>
        </div>
      ) : (
        <div className="deploy-box">
          <TargetChooser
            value={choice}
            onChange={setChoice}
            profile={profile.data}
            auth={auth.data}
            onSignIn={() => navigate({ page: 'signin' })}
            onKubeUsable={setKubeUsable}
            capable={capability.ok}
          />
          {target !== 'kube' && (
            <CapabilityList
              items={capability.items}
              secretsKeptByIm={capability.secretsKeptByIm}
              shape={shape}
              target={t(`review.targets.${target}`)}
              {...(advice === undefined ? {} : { advice })}
            />
          )}
          {deployError !== undefined && <ErrorNotice error={deployError} />}
          <button type="button" className="button button-primary" disabled={deploying || refused} onClick={deploy} data-testid="deploy">
            {t('review.deploy')}
          </button>
        </div>
      )}

      <div className="tabs" role="tablist">
        {(['objects', 'yaml', 'tosca'] as Tab[]).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} className="tab" onClick={() => setTab(name)}>
            {t(`review.tabs.${name}`)}
          </button>
        ))}
      </div>
      {tab === 'objects' && (
        <div className="component-list">
          {view.components.map((component) => (
            <article key={component.name} className="card component-card" data-component={component.name}>
              <h2 className="card-title">
                {component.name} <span className="muted">× {component.replicas}</span>
              </h2>
              {component.image !== undefined && (
                <p className="card-meta">
                  <code>{component.image}</code>
                </p>
              )}
              <p className="card-meta">
                {t('review.requests')}:{' '}
                <span translate="no">
                  {Object.entries(component.requests)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ') || '—'}
                </span>{' '}
                · {t('review.limits')}:{' '}
                <span translate="no">
                  {Object.entries(component.limits)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(', ') || '—'}
                </span>
              </p>
              <ul className="object-list">
                {component.objects.map((object) => (
                  <li key={`${object.kind}/${object.name}`}>
                    <span className="kind">{object.kind}</span> {object.name}{' '}
                    <span className="muted">{t('review.wave', { wave: object.wave })}</span>
                  </li>
                ))}
              </ul>
            </article>
          ))}
          <article className="card component-card">
            <h2 className="card-title">{t('review.shared')}</h2>
            <ul className="object-list">
              {view.shared.map((object) => (
                <li key={`${object.kind}/${object.name}`}>
                  <span className="kind">{object.kind}</span> {object.name}{' '}
                  <span className="muted">{t('review.wave', { wave: object.wave })}</span>
                </li>
              ))}
            </ul>
          </article>
          {view.rbac.length > 0 && (
            <article className="card component-card" data-testid="review-rbac">
              <h2 className="card-title">{t('review.rbac')}</h2>
              <ul className="object-list">
                {view.rbac.map((line) => (
                  <li key={`${line.kind}/${line.name}`}>
                    <span className="kind">{line.kind}</span> {line.name}
                    {line.grants.length > 0 && (
                      <ul>
                        {line.grants.map((grant) => (
                          // Verbs and resources are the Kubernetes API's names, not words to translate.
                          <li key={grant.text} translate="no">
                            {say(grant)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </article>
          )}
        </div>
      )}
      {tab === 'yaml' && <CodeViewer text={view.kubeYaml} label={t('review.tabs.yaml')} />}
      {tab === 'tosca' && <CodeViewer text={view.tosca.yaml ?? ''} label={t('review.tabs.tosca')} />}

      <h2 className="section-title">{t('review.export.title')}</h2>
      <ExportPanel
        request={{ ...request, target }}
        defaultDirectory={`${info.data?.homeDir ?? '~'}/afp-exports/${view.environment.name}`}
      />
    </section>
  );
}
