import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllowedExternalUrl } from '../../../main/shell/external-links';

describe('links that may open in the system browser', () => {
  for (const url of ['https://hub.example.org/hub/', 'http://127.0.0.1:8888/', 'http://localhost:9001/', 'http://[::1]:8787/status']) {
    it(`opens ${url}`, () => assert.equal(isAllowedExternalUrl(url), true));
  }
  for (const url of [
    'http://hub.example.org/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://share/x',
    'https://user:pw@host/',
    'not a url',
    'http://127.0.0.1.evil.example/',
  ]) {
    it(`refuses ${url}`, () => assert.equal(isAllowedExternalUrl(url), false));
  }
});
