/**
 * Medium/high electronegativity findings reviewed and judged safe, each with
 * its reason. A suppression matches a rule, a file and a fragment of the
 * flagged line; when the code changes so that it no longer matches, the gate
 * test fails and the finding must be looked at again.
 */
import type { Suppression } from '../../../scripts/electronegativity';

export const SUPPRESSIONS: readonly Suppression[] = [
  {
    rule: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/index.ts',
    source: 'await shell.openExternal(url);',
    reason:
      'host.openExternal: every caller checks the URL first: links.open and sign-in with isAllowedExternalUrl (https, loopback http), environment links with isEnvironmentLinkUrl (http/https, no credentials); electron-checklist.test.ts item 15 drives it with file:, javascript: and custom schemes.',
  },
  {
    rule: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/index.ts',
    source: 'if (isAllowedExternalUrl(url)) void shell.openExternal(url);',
    reason: 'The window-open handler opens only allow-listed URLs (https, loopback http) and denies every new window; checklist item 14.',
  },
  {
    rule: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/app.ts',
    source: 'isEnvironmentLinkUrl(url) ? options.host.openExternal(url)',
    reason:
      "An environment's link (from the cluster or IM) is opened only when it is http/https without credentials; other schemes are refused (environment-links.test.ts).",
  },
  {
    rule: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/app.ts',
    source: 'return { opened: await options.host.openExternal(url) };',
    reason: 'links.open: the line before refuses any URL isAllowedExternalUrl does not accept (forbidden); checklist item 15.',
  },
  {
    rule: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/app/environments-service.ts',
    source: 'opened: await this.options.openExternal(url)',
    reason: 'Goes through the openExternal createApp passes in, which checks isEnvironmentLinkUrl first.',
  },
  {
    rule: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'main/auth/handlers.ts',
    source: 'isAllowedExternalUrl(url) ? host.openExternal(url)',
    reason: "The identity provider's authorization URL is opened only when allow-listed (https, loopback http).",
  },
  {
    rule: 'PRELOAD_JS_CHECK',
    file: 'main/index.ts',
    source: "preload: path.join(here, '../preload/index.cjs'),",
    reason:
      'Our own sandboxed preload: it exposes only window.afp (request by contract name, onEvent), never ipcRenderer; checklist item 20.',
  },
];
