/**
 * The clusters the GUI offers on first run: the path looked at when there is
 * no kubeconfig, the contexts the site profile allows (never a disallowed one
 * first), and the choice made in the app taking precedence.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { kubeClusters } from '../../../main/app/kube-clusters';
import type { SiteProfile } from '../../../main/site/profile-schema';

const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-clusters-'));
const kubeconfig = (current: string, names: string[]): string => {
  const file = path.join(dir, `${current}-${names.join('-')}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: ${current}
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: u, user: { token: t } }]
contexts:
${names.map((n) => `- { name: ${n}, context: { cluster: c, user: u } }`).join('\n')}
`,
    { mode: 0o600 },
  );
  return file;
};
const site = (contexts?: string[]): SiteProfile => ({
  apiVersion: 'afp.dev/v1',
  kind: 'SiteProfile',
  site: { name: 'Napoli' },
  ...(contexts === undefined ? {} : { targets: { kube: { contexts } } }),
});

describe('the clusters the app offers', () => {
  it('names the path it looked at when there is no kubeconfig, as an answer rather than a failure', () => {
    const view = kubeClusters({ env: {} });
    const defaultPath = path.join(os.homedir(), '.kube', 'config');
    if (view.state !== 'ready') {
      // (This machine may have a ~/.kube/config of its own; then only KUBECONFIG's case below applies.)
      assert.deepEqual([view.state, view.origin, view.files], ['missing', 'default', [defaultPath]]);
      assert.equal(view.problem?.message, `No kubeconfig at ${defaultPath} (KUBECONFIG is not set).`);
    }
    const fromEnv = kubeClusters({ env: { KUBECONFIG: path.join(dir, 'gone') } });
    assert.deepEqual([fromEnv.state, fromEnv.origin, fromEnv.files], ['missing', 'env', [path.join(dir, 'gone')]]);
  });

  it('offers only the contexts the site allows, and never a disallowed current context first', () => {
    const file = kubeconfig('minikube', ['minikube', 'af-napoli', 'af-napoli-test']);
    const view = kubeClusters({ kubeconfig: file, profile: site(['af-napoli*']) });
    assert.equal(view.state, 'ready');
    assert.deepEqual(
      view.contexts.map((c) => [c.name, c.allowed]),
      [
        ['minikube', false],
        ['af-napoli', true],
        ['af-napoli-test', true],
      ],
    );
    assert.equal(view.preselected, 'af-napoli', 'the current context is disallowed: the first allowed one is offered');
    assert.equal(kubeClusters({ kubeconfig: file }).preselected, 'minikube', 'without a list the current context is offered');
    const none = kubeClusters({ kubeconfig: file, profile: site(['prod-*']) });
    assert.equal(none.preselected, undefined, 'no allowed context: nothing is offered');
  });

  it("uses the file chosen in the app before the site profile's and KUBECONFIG", () => {
    const chosen = kubeconfig('lab', ['lab']);
    const view = kubeClusters({ chosen, env: { KUBECONFIG: path.join(dir, 'gone') } });
    assert.deepEqual([view.state, view.origin, view.chosen, view.preselected], ['ready', 'chosen', chosen, 'lab']);
    const named = kubeClusters({ kubeconfig: path.join(dir, 'typo'), chosen });
    assert.deepEqual([named.state, named.origin], ['missing', 'named']);
  });
});
