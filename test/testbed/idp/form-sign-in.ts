/**
 * Drives the IdP's pages the way a person would, with plain HTTP: follows
 * redirects, keeps the IdP's cookies, fills the login form and confirms device
 * codes. For tests that need a signed-in user fast and without a browser; the
 * Playwright test of the same pages proves a real browser gets through too.
 */
import type { FetchLike } from './ca-fetch';

export interface Credentials {
  username: string;
  password: string;
}

export interface SignInResult {
  /** The redirect that left the IdP (e.g. the loopback callback with `code` and `state`), if any. */
  redirect?: URL;
  /** The text of the last IdP page, when the flow ended on one (device flow success, errors). */
  pageText?: string;
  /** HTTP status of the last IdP page. */
  status: number;
}

const MAX_STEPS = 20;

/**
 * Starts at `url` (an authorization URL, or a device verification URL) and
 * stops when a redirect leaves the IdP's origin or a page has no form to fill.
 */
export async function signInWithForms(url: string, user: Credentials, fetch: FetchLike): Promise<SignInResult> {
  const origin = new URL(url).origin;
  const cookies = new Map<string, string>();
  let next: { url: URL; method: 'GET' | 'POST'; form?: URLSearchParams } = { url: new URL(url), method: 'GET' };
  for (let step = 0; step < MAX_STEPS; step++) {
    const headers: Record<string, string> = {};
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next.url, { method: next.method, headers, body: next.form });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      const target = new URL(location, next.url);
      if (target.origin !== origin) return { redirect: target, status: response.status };
      next = { url: target, method: 'GET' };
      continue;
    }
    const html = await response.text();
    const filled = fillForm(html, user);
    if (filled === undefined) return { pageText: pageText(html), status: response.status };
    if (response.status === 401) return { pageText: pageText(html), status: response.status };
    next = { url: new URL(filled.action, next.url), method: 'POST', form: filled.fields };
  }
  throw new Error(`sign-in did not finish within ${MAX_STEPS} steps (last URL ${next.url.href})`);
}

function fillForm(html: string, user: Credentials): { action: string; fields: URLSearchParams } | undefined {
  const login = findForm(html, 'login');
  if (login !== undefined) {
    login.fields.set('username', user.username);
    login.fields.set('password', user.password);
    return login;
  }
  const device = findForm(html, 'op.deviceConfirmForm') ?? findForm(html, 'op.deviceInputForm');
  if (device !== undefined) return device;
  // oidc-provider's self-submitting form (device code given in the URL); a browser posts it by script.
  return html.includes('document.forms[0].submit()') ? findForm(html) : undefined;
}

function findForm(html: string, id?: string): { action: string; fields: URLSearchParams } | undefined {
  const idPattern = id === undefined ? '' : `[^>]*\\bid="${id.replace(/[.]/g, '\\.')}"`;
  const match = new RegExp(`<form\\b(${idPattern}[^>]*)>([\\s\\S]*?)</form>`).exec(html);
  if (match === null) return undefined;
  const [, tag = '', inner = ''] = match;
  const action = attribute(tag, 'action');
  if (action === undefined) return undefined;
  const fields = new URLSearchParams();
  for (const input of inner.match(/<input\b[^>]*>/g) ?? []) {
    const name = attribute(input, 'name');
    if (name !== undefined) fields.set(name, attribute(input, 'value') ?? '');
  }
  return { action: decodeEntities(action), fields };
}

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function pageText(html: string): string {
  return decodeEntities(html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}
