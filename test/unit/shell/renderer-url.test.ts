import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rendererUrlFor } from '../../../main/shell/renderer-url';

describe('the page the Electron window loads', () => {
  const packagedFile = 'file:///opt/afp/resources/app.asar/out/renderer/index.html';
  const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };

  it('a development run (unpackaged) loads the dev server named in ELECTRON_RENDERER_URL', () => {
    assert.equal(rendererUrlFor({ isPackaged: false, env, packagedFile }), 'http://localhost:5173/');
    assert.equal(rendererUrlFor({ isPackaged: false, env: {}, packagedFile }), packagedFile);
  });

  it('a packaged app always loads its own renderer file, whatever the environment says', () => {
    assert.equal(rendererUrlFor({ isPackaged: true, env, packagedFile }), packagedFile);
    assert.equal(rendererUrlFor({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' }, packagedFile }), packagedFile);
  });
});
