import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthStatusView, ProfileView, TargetChoiceView } from '../../main/api';
import { KubeTargetPicker } from './KubeTargetPicker';

export type TargetKind = TargetChoiceView['kind'];

/** The targets this site offers: kube contexts always, IM and the dispatcher when the site profile names them. */
export function offeredTargets(profile: ProfileView | undefined): TargetKind[] {
  const targets = profile?.active?.targets;
  return [
    'kube',
    ...(targets?.im === undefined ? [] : ['im' as const]),
    ...(targets?.dispatcher === undefined ? [] : ['dispatcher' as const]),
  ];
}

/** Where the site sends IM or dispatcher deploys, for the line under the choice. */
function endpointOf(kind: TargetKind, profile: ProfileView | undefined): string | undefined {
  const targets = profile?.active?.targets;
  return kind === 'im' ? targets?.im : kind === 'dispatcher' ? targets?.dispatcher : undefined;
}

interface Props {
  value: TargetChoiceView;
  onChange: (choice: TargetChoiceView) => void;
  profile: ProfileView | undefined;
  auth: AuthStatusView | undefined;
  onSignIn: () => void;
  /** Whether the kube target has a usable cluster and context (Deploy stays disabled otherwise). */
  onKubeUsable?: (usable: boolean) => void;
  /** False when the chosen IM or dispatcher cannot take the plan: signing in would not help, so it is not asked. */
  capable?: boolean;
}

/** Where to deploy, among what the site offers; IM and the dispatcher say whom they act as, or ask to sign in. */
export function TargetChooser({ value, onChange, profile, auth, onSignIn, onKubeUsable, capable = true }: Props): ReactElement {
  const { t } = useTranslation();
  const offered = offeredTargets(profile);
  const endpoint = endpointOf(value.kind, profile);
  const signedIn = auth?.state === 'signed-in';
  return (
    <div className="target-chooser">
      <fieldset className="presets">
        <legend className="field-label">{t('review.target')}</legend>
        {offered.length > 1 ? (
          <div className="segmented" role="radiogroup" aria-label={t('review.target')}>
            {offered.map((kind) => (
              <button
                key={kind}
                type="button"
                role="radio"
                aria-checked={value.kind === kind}
                className="segment"
                data-target={kind}
                onClick={() => onChange({ kind })}
              >
                {t(`review.targets.${kind}`)}
              </button>
            ))}
          </div>
        ) : (
          <p className="target-single" data-target="kube">
            {t('review.targets.kube')}
          </p>
        )}
        {offered.length === 1 && (
          <p className="help">
            {t(profile?.active === undefined ? 'review.onlyKubeNoProfile' : 'review.onlyKube', { site: profile?.active?.siteName ?? '' })}
          </p>
        )}
      </fieldset>
      {value.kind === 'kube' ? (
        <KubeTargetPicker
          value={value}
          onChange={(kube) => onChange({ kind: 'kube', ...kube })}
          {...(onKubeUsable === undefined ? {} : { onUsable: onKubeUsable })}
        />
      ) : (
        <div className="im-target" data-testid="im-target">
          <p className="help">{t(`review.via.${value.kind}`, { url: endpoint ?? '' })}</p>
          {!capable ? null : signedIn ? (
            <p className="help" data-testid="acting-as">
              {t('review.actingAs', { user: auth.user?.name ?? auth.user?.username ?? '' })}
            </p>
          ) : (
            <p className="notice notice-warn" role="alert" data-testid="sign-in-needed">
              {t(auth?.state === 'needs-login' ? 'review.signInAgain' : 'review.signInNeeded')}{' '}
              <button type="button" className="link-button" onClick={onSignIn}>
                {t('nav.signIn')}
              </button>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
