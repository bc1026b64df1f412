/**
 * The page the browser shows after the provider sends it back to the app:
 * plain HTML, inline style only, nothing fetched from anywhere.
 */
import { PRODUCT_NAME } from '../../paths';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2328}' +
  'h1{font-size:1.4rem}.ok{color:#1a7f37}.fail{color:#b42318}';

export function callbackPage(outcome: { ok: true } | { ok: false; reason: string }): string {
  const [title, css, body] = outcome.ok
    ? ['You are signed in', 'ok', `${PRODUCT_NAME} has your sign-in. You can close this tab and go back to the app.`]
    : ['Sign-in did not complete', 'fail', `${outcome.reason} You can close this tab and try again in ${PRODUCT_NAME}.`];
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)} – ${PRODUCT_NAME}</title><style>${STYLE}</style></head>` +
    `<body><h1 class="${css}" id="title">${escapeHtml(title)}</h1><p id="message">${escapeHtml(body)}</p></body></html>`
  );
}

/** Headers for the page: no scripts, no outside resources, not cached, no referrer leaking the code. */
export const CALLBACK_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;
