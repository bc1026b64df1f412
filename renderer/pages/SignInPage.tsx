/**
 * Sign-in: the site's identity provider, a button for the system browser and
 * one for a device code, progress while it runs, and errors in plain words.
 * Beyond a 'copied' flag it holds no state: the app passes the `auth.status` answer (kept
 * current by `auth.changed` events) and the latest `auth.device` event.
 */
import type { ReactElement } from 'react';
import type { ApiErrorShape } from '../../main/api';
import { useCopy } from '../components/use-copy';
import { fill, signInStrings, type SignInStrings } from './sign-in-strings';

/** The shape of `auth.status` (main/contract/auth.ts), as the renderer reads it. */
export interface AuthStatusView {
  state: 'signed-out' | 'signing-in' | 'signed-in' | 'needs-login';
  provider?: { issuer: string; clientId: string } | undefined;
  user?: { subject: string; username: string; name: string; email?: string | undefined; groups: string[] } | undefined;
  expiresAt?: string | undefined;
  operation?: { id: string; method: 'browser' | 'device'; url?: string | undefined } | undefined;
  error?: ApiErrorShape | undefined;
  persistent: boolean;
  notice?: string | undefined;
  requiredGroups: string[];
  allowed: boolean;
}

/** The shape of the `auth.device` event. */
export interface DeviceCodeView {
  operationId: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string | undefined;
  expiresAt: string;
}

export interface SignInPageProps {
  status: AuthStatusView;
  /** The latest device code; shown only while its operation runs. */
  device?: DeviceCodeView;
  language: string;
  onSignIn: (method: 'browser' | 'device') => void;
  onCancel: () => void;
  /** Opens a link in the system browser (links.open). */
  onOpenLink: (url: string) => void;
}

export function providerName(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

export function timeOf(iso: string, language: string): string {
  return new Date(iso).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
}

export function SignInPage({ status, device, language, onSignIn, onCancel, onOpenLink }: SignInPageProps): ReactElement {
  const s = signInStrings(language);
  const operation = status.operation;
  return (
    <section aria-labelledby="sign-in-title" className="sign-in" data-state={status.state}>
      <header className="page-header">
        <h1 id="sign-in-title">{s.title}</h1>
        {status.provider !== undefined && (
          <p className="subtitle">{fill(s.subtitle, { provider: providerName(status.provider.issuer) })}</p>
        )}
      </header>
      {status.provider === undefined && (
        <div className="notice notice-warn" role="status">
          <p>{s.noProvider}</p>
        </div>
      )}
      {status.state === 'needs-login' && (
        <div className="notice notice-warn" role="alert" data-testid="needs-login">
          <p>
            {s.needsLogin} {status.error !== undefined && <span className="muted">{status.error.message}</span>}
          </p>
        </div>
      )}
      {status.state === 'signed-out' && status.error !== undefined && (
        <div className="notice notice-error" role="alert" data-testid="sign-in-error">
          <p>
            {s.lastError} {status.error.message}
          </p>
        </div>
      )}
      {status.state === 'signed-in' && status.user !== undefined && <SignedIn status={status} s={s} />}
      {operation === undefined && status.provider !== undefined && status.state !== 'signed-in' && (
        <div className="form-stack">
          <div>
            <button type="button" className="button button-primary" onClick={() => onSignIn('browser')} data-testid="sign-in-browser">
              {s.browser}
            </button>
            <p className="help">{s.browserHelp}</p>
          </div>
          <div>
            <button type="button" className="button" onClick={() => onSignIn('device')} data-testid="sign-in-device">
              {s.device}
            </button>
            <p className="help">{s.deviceHelp}</p>
          </div>
        </div>
      )}
      {operation?.method === 'browser' && (
        <div className="form-stack" aria-live="polite" data-testid="waiting-browser">
          <p>{s.waitingBrowser}</p>
          {operation.url !== undefined && <BrowserFallback url={operation.url} s={s} onOpenLink={onOpenLink} />}
          <CancelButton s={s} onCancel={onCancel} />
        </div>
      )}
      {operation?.method === 'device' && (
        <div className="form-stack" aria-live="polite" data-testid="waiting-device">
          {device !== undefined && device.operationId === operation.id ? (
            <DeviceCode device={device} language={language} s={s} onOpenLink={onOpenLink} />
          ) : (
            <p>{s.waitingDevice}</p>
          )}
          <CancelButton s={s} onCancel={onCancel} />
        </div>
      )}
      {!status.persistent && status.notice !== undefined && (
        <div className="notice notice-warn" role="status" data-testid="not-kept">
          <p>{status.notice}</p>
        </div>
      )}
    </section>
  );
}

function SignedIn({ status, s }: { status: AuthStatusView; s: SignInStrings }): ReactElement {
  const user = status.user;
  return (
    <div className="form-stack" data-testid="signed-in">
      <p>{fill(s.signedInAs, { name: user === undefined ? '' : `${user.name} (${user.username})` })}</p>
      {!status.allowed && status.requiredGroups.length > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="not-allowed">
          <p>{fill(s.notAllowed, { groups: groupList(status.requiredGroups, s) })}</p>
        </div>
      )}
    </div>
  );
}

export function groupList(groups: readonly string[], s: SignInStrings): string {
  const quoted = groups.map((group) => `“${group}”`).join(', ');
  return groups.length === 1 ? quoted : fill(s.anyOf, { groups: quoted });
}

function DeviceCode({
  device,
  language,
  s,
  onOpenLink,
}: {
  device: DeviceCodeView;
  language: string;
  s: SignInStrings;
  onOpenLink: (url: string) => void;
}): ReactElement {
  const [before = '', after = ''] = s.deviceStep.split('{uri}');
  return (
    <div className="device-code">
      <p>
        {before}
        <button type="button" className="link-button" onClick={() => onOpenLink(device.verificationUri)} data-testid="verification-uri">
          {device.verificationUri}
        </button>
        {after}
      </p>
      <p>
        {/* Set through the DOM, which the page's CSP allows; the lead may move it into styles.css. */}
        <code className="user-code" data-testid="user-code" style={{ fontSize: '1.8rem', letterSpacing: '0.15em' }}>
          {device.userCode}
        </code>
      </p>
      {device.verificationUriComplete !== undefined && (
        <p>
          <button type="button" className="link-button" onClick={() => onOpenLink(device.verificationUriComplete ?? '')}>
            {s.deviceDirect}
          </button>
        </p>
      )}
      <p className="muted">
        {fill(s.deviceExpires, { time: timeOf(device.expiresAt, language) })} {s.waitingDevice}
      </p>
    </div>
  );
}

function CancelButton({ s, onCancel }: { s: SignInStrings; onCancel: () => void }): ReactElement {
  return (
    <div>
      <button type="button" className="button" onClick={onCancel} data-testid="sign-in-cancel">
        {s.cancel}
      </button>
    </div>
  );
}

/** For when the system browser did not come up: the same page again, or its address to paste elsewhere. */
function BrowserFallback({ url, s, onOpenLink }: { url: string; s: SignInStrings; onOpenLink: (url: string) => void }): ReactElement {
  const { copied, copy } = useCopy();
  return (
    <p className="muted" data-testid="browser-fallback">
      {s.browserFallback}{' '}
      <button type="button" className="link-button" onClick={() => onOpenLink(url)}>
        {s.openAgain}
      </button>
      {' · '}
      <button type="button" className="link-button" onClick={() => copy(url)} aria-live="polite">
        {copied ? s.copied : s.copyAddress}
      </button>
    </p>
  );
}
