import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCapacity } from '../../../main/app/capacity-source';
import { exportTarget } from '../../../main/app/export-plan';
import { TARGETS } from '../../../main/contract/plan';
import type { ActiveProfile } from '../../../main/site/active-profile';
import { targetLabel, traitsOf } from '../../../main/targets/kinds/traits';

const site = (capacity?: object): ActiveProfile =>
  ({
    profile: { site: { name: 'Naples AF' }, ...(capacity === undefined ? {} : { capacity }) },
    file: '/etc/afp/site.yaml',
    source: 'cli',
    lockedSettings: [],
    fieldLines: {},
  }) as unknown as ActiveProfile;

describe('choices the core makes once for every caller', () => {
  it('capacity: the profile names its declared nodes, or says it declares none', async () => {
    const reading = readCapacity({ kind: 'profile' }, site({ nodes: [{ name: 'n', count: 2, cpu: '4', memory: '8Gi' }] }));
    assert.deepEqual(reading.label, { id: 'fit.sourceProfile', params: { site: 'Naples AF' }, text: 'the capacity declared by Naples AF' });
    assert.equal(reading.origin, 'site profile /etc/afp/site.yaml');
    assert.equal((await reading.read()).nodes.length, 2);
    assert.throws(() => readCapacity({ kind: 'profile' }, site()), /^AfpError: The site profile declares no capacity/);
    assert.throws(() => readCapacity({ kind: 'profile' }, null), /declares no capacity/);
  });

  it('capacity: a context the kubeconfig lacks is refused, naming the ones it has', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'afp-core-')), 'kubeconfig');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ctx, context: {cluster: c, user: u}}]\ncurrent-context: ctx\n',
    );
    assert.throws(() => readCapacity({ kind: 'cluster', kubeconfig: file, context: 'other' }, null), {
      message: 'no context "other" (contexts: ctx)',
    });
    const reading = readCapacity({ kind: 'cluster', kubeconfig: file }, null);
    assert.deepEqual(reading.label, { id: 'fit.sourceCluster', params: { context: 'ctx' }, text: 'cluster "ctx" as it is now' });
    assert.equal(reading.origin, 'cluster https://127.0.0.1:6443 (context ctx)');
  });

  it('export: TOSCA is rendered for IM unless the chosen target already takes it', () => {
    assert.equal(exportTarget('tosca'), 'im');
    assert.equal(exportTarget('tosca', 'dispatcher'), 'dispatcher');
    assert.equal(exportTarget('kube'), 'kube');
    assert.equal(exportTarget('kube', 'im'), 'im');
  });

  it('every kind in the contract declares its traits', () => {
    for (const kind of TARGETS) {
      const traits = traitsOf(kind);
      assert.equal(traits.kind, kind);
      assert.ok(traits.title.length > 0);
    }
    assert.equal(traitsOf('kube').updates, 'in-place');
    assert.equal(traitsOf('im').updates, 'recreate');
    assert.equal(traitsOf('dispatcher').logs, true);
    assert.equal(targetLabel({ kind: 'kube', context: 'ctx', server: 's', namespace: 'ns' }, 'page'), 'ctx · ns');
    assert.equal(targetLabel({ kind: 'im', imUrl: 'https://im', infrastructureId: 'i-1' }, 'list'), 'IM https://im (i-1)');
    assert.equal(targetLabel({ kind: 'dispatcher', dispatcherUrl: 'https://d' }, 'page'), 'dispatcher https://d');
  });
});
