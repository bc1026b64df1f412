/**
 * The account area of the sidebar: who is signed in, their groups, when the
 * access token expires, and sign out; or a way to the sign-in page. Plain
 * props: the app passes the `auth.status` answer and the callbacks.
 */
import type { ReactElement } from 'react';
import { groupList, providerName, timeOf, type AuthStatusView } from '../pages/SignInPage';
import { fill, signInStrings } from '../pages/sign-in-strings';

export interface AccountMenuProps {
  status: AuthStatusView;
  language: string;
  onSignIn: () => void;
  onSignOut: () => void;
}

export function AccountMenu({ status, language, onSignIn, onSignOut }: AccountMenuProps): ReactElement {
  const s = signInStrings(language);
  const user = status.user;
  if (status.state !== 'signed-in' || user === undefined) {
    const again = status.state === 'needs-login';
    return (
      <div className="account-menu" data-testid="account-menu" data-state={status.state}>
        <span className="account-status">{again && user !== undefined ? `${user.name} · ${s.needsLogin}` : s.notSignedIn}</span>{' '}
        <button type="button" className={again ? 'button button-primary' : 'link-button'} onClick={onSignIn} data-testid="account-sign-in">
          {again ? s.signInAgain : s.signIn}
        </button>
      </div>
    );
  }
  return (
    <details className="account-menu" data-testid="account-menu" data-state={status.state}>
      <summary aria-label={`${s.account}: ${user.name}`}>
        <span className="account-name">{user.name}</span>
      </summary>
      <dl className="account-details">
        <dt>{s.username}</dt>
        <dd data-testid="account-username">{user.username}</dd>
        {user.email !== undefined && (
          <>
            <dt>{s.email}</dt>
            <dd>{user.email}</dd>
          </>
        )}
        <dt>{s.groups}</dt>
        <dd data-testid="account-groups">{user.groups.length === 0 ? s.noGroups : user.groups.join(', ')}</dd>
        {status.provider !== undefined && (
          <>
            <dt>{s.provider}</dt>
            <dd>{providerName(status.provider.issuer)}</dd>
          </>
        )}
      </dl>
      {status.expiresAt !== undefined && (
        <p className="muted" data-testid="account-expiry">
          {fill(s.expires, { time: timeOf(status.expiresAt, language) })}
        </p>
      )}
      {!status.allowed && status.requiredGroups.length > 0 && (
        <p className="muted">{fill(s.notAllowed, { groups: groupList(status.requiredGroups, s) })}</p>
      )}
      {!status.persistent && status.notice !== undefined && <p className="muted">{status.notice}</p>}
      <button type="button" className="button" onClick={onSignOut} data-testid="account-sign-out">
        {s.signOut}
      </button>
    </details>
  );
}
