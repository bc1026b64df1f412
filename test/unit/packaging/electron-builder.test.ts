import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asar?: boolean;
  files?: string[];
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[] };
  mac?: { target?: string };
  win?: { target?: string };
}

describe('electron-builder.yml', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { productName: string; main: string };

  it('names the app as package.json does and packs it into an asar', () => {
    assert.equal(config.appId, 'dev.afp.provisioner');
    assert.equal(config.productName, pkg.productName);
    assert.equal(config.asar, true);
    assert.ok(config.files?.includes('templates/**'), 'built-in templates ship with the app');
    assert.ok(pkg.main.startsWith('out/') && config.files?.includes('out/**'));
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.equal(config.mac?.target, 'dmg');
    assert.equal(config.win?.target, 'nsis');
  });

  it('flips the Electron fuses of DESIGN §7: no RunAsNode, no NODE_OPTIONS, app only from asar', () => {
    assert.equal(config.electronFuses?.runAsNode, false);
    assert.equal(config.electronFuses?.enableNodeOptionsEnvironmentVariable, false);
    assert.equal(config.electronFuses?.enableNodeCliInspectArguments, false);
    assert.equal(config.electronFuses?.onlyLoadAppFromAsar, true);
    assert.equal(config.electronFuses?.enableEmbeddedAsarIntegrityValidation, true);
  });
});
