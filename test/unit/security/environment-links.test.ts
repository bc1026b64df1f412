/**
 * An environment's links come from the cluster (Ingress hosts) or from IM's
 * outputs: text we do not control. Only web links leave the app for the browser.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEnvironmentLinkUrl } from '../../../main/shell/external-links';

describe('environment links opened in the system browser', () => {
  it('opens http and https links, NodePort addresses included', () => {
    for (const url of ['https://hub.example.org/', 'http://10.0.0.12:30080/', 'http://127.0.0.1:41000/lab'])
      assert.equal(isEnvironmentLinkUrl(url), true, url);
  });

  it('refuses other schemes, credentials in the URL and garbage', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id',
      'http://user:pw@host/',
      'data:text/html,x',
      '',
      'not a url',
    ]) {
      assert.equal(isEnvironmentLinkUrl(url), false, url);
    }
  });
});
