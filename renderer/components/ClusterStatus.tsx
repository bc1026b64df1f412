import { useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { KubeContextsView } from '../../main/api';
import { useRequest } from '../client/use-request';
import { useSay } from '../i18n/say';
import { KubeconfigChooser } from './KubeconfigChooser';

/** The path a view looked at, as one string (KUBECONFIG may list several files). */
function pathOf(view: KubeContextsView): string {
  return view.files.join(', ');
}

/**
 * The cluster the app deploys to, as a first-run screen shows it: which
 * kubeconfig and context, the contexts the site does not offer and why, or —
 * when there is none — the path looked at and what the user can do next
 * (choose a file; the site's IM when it names one; export offline).
 * `context`: the context chosen on the page, when it shows a picker; `onReview`: the
 * page is Review, where the other targets and Export are right there.
 */
export function ClusterStatus({
  view,
  context,
  onReview = false,
}: {
  view: KubeContextsView;
  context?: string | undefined;
  onReview?: boolean;
}): ReactElement {
  const { t } = useTranslation();
  const say = useSay();
  const profile = useRequest('profile.get', {});
  const [changing, setChanging] = useState(false);
  const targets = profile.data?.active?.targets;
  const offersIm = targets?.im !== undefined || targets?.dispatcher !== undefined;
  const allowList = targets?.kubeContexts?.join(', ') ?? '';
  const allowed = view.contexts.filter((c) => c.allowed);
  const hidden = view.contexts.length - allowed.length;
  const path = pathOf(view);
  const chooser = <KubeconfigChooser key={view.chosen ?? ''} chosen={view.chosen} />;

  if (view.state !== 'ready')
    return (
      <div className="notice notice-warn cluster-status" role="status" data-testid="cluster-missing">
        <div>
          <h2 className="notice-title">{t('clusters.noneTitle')}</h2>
          {view.state === 'missing' ? (
            <p>
              {t(
                view.origin === 'default' ? 'clusters.missingDefault' : view.origin === 'env' ? 'clusters.missingEnv' : 'clusters.missing',
                {
                  path,
                },
              )}
            </p>
          ) : (
            <p>
              {t('clusters.broken', { path })} {view.problem !== undefined && say(view.problem)}
            </p>
          )}
          <p>{t('clusters.nextSteps')}</p>
          <ul>
            <li>{t('clusters.stepChoose')}</li>
            {offersIm && <li>{t(onReview ? 'clusters.stepImHere' : 'clusters.stepIm')}</li>}
            <li>{t(onReview ? 'clusters.stepExportHere' : 'clusters.stepExport')}</li>
          </ul>
          {chooser}
        </div>
      </div>
    );

  const shown = context ?? view.preselected;
  const problem = view.contexts.length === 0 ? 'clusters.noContexts' : allowed.length === 0 ? 'clusters.noneAllowed' : undefined;
  return (
    <div className="cluster-status" data-testid="cluster-status">
      {problem !== undefined ? (
        <p className="notice notice-warn" role="status" data-testid="cluster-unusable">
          {t(problem, { path, allowed: allowList })}
        </p>
      ) : (
        <p className="help" data-testid="cluster-using">
          {shown === undefined
            ? t('clusters.usingNoContext', { path, origin: t(`clusters.origin.${view.origin}`) })
            : t('clusters.using', { context: shown, path, origin: t(`clusters.origin.${view.origin}`) })}
        </p>
      )}
      {hidden > 0 && problem === undefined && (
        <p className="help" data-testid="contexts-hidden">
          {t('clusters.hidden', { count: hidden, allowed: allowList })}
        </p>
      )}
      {problem !== undefined || changing ? (
        chooser
      ) : (
        <button type="button" className="link-button" onClick={() => setChanging(true)} data-testid="kubeconfig-change">
          {t('clusters.change')}
        </button>
      )}
    </div>
  );
}
