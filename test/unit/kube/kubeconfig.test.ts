import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { describeKubeError } from '../../../main/kube/api-errors';
import { kubeconfigFiles, loadKubeconfig, NoKubeconfigError } from '../../../main/kube/kubeconfig';
import { readKubeconfig } from '../../../main/kube/kubeconfig-read';

const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-kubeconfig-'));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const kubeconfig = write(
  'config',
  `apiVersion: v1
kind: Config
current-context: naples
clusters:
- name: naples
  cluster: { server: https://10.0.0.1:6443, certificate-authority-data: ZmFrZQ== }
- name: lab
  cluster: { server: https://lab.example:6443, insecure-skip-tls-verify: true }
users:
- name: admin
  user: { client-certificate-data: ZmFrZQ==, client-key-data: ZmFrZQ== }
- name: oidc
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: kubelogin, args: [get-token] }
- name: session
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1, command: afp, args: [kube-token] }
contexts:
- name: naples
  context: { cluster: naples, user: admin, namespace: physics }
- name: lab-oidc
  context: { cluster: lab, user: oidc }
- name: lab-session
  context: { cluster: lab, user: session }
- name: dangling
  context: { cluster: nowhere, user: admin }
`,
);

describe('kubeconfig loading', () => {
  it('takes a chosen file first, else every KUBECONFIG entry, else ~/.kube/config', () => {
    assert.deepEqual(kubeconfigFiles('/x/k'), ['/x/k']);
    assert.deepEqual(kubeconfigFiles(undefined, { KUBECONFIG: `/a${path.delimiter}/b` }), ['/a', '/b']);
    assert.deepEqual(kubeconfigFiles(undefined, {}), [path.join(os.homedir(), '.kube', 'config')]);
  });

  it('lists contexts with their server, namespace and kind of credentials', () => {
    const loaded = loadKubeconfig({ file: kubeconfig });
    assert.equal(loaded.currentContext, 'naples');
    const byName = Object.fromEntries(loaded.contexts.map((c) => [c.name, c]));
    assert.equal(byName.naples?.server, 'https://10.0.0.1:6443');
    assert.equal(byName.naples?.namespace, 'physics');
    assert.equal(byName.naples?.auth, 'client-certificate');
    assert.equal(byName['lab-oidc']?.auth, 'exec');
    assert.equal(byName['lab-oidc']?.execCommand, 'kubelogin');
    assert.equal(byName['lab-session']?.auth, 'afp-session');
  });

  it('warns about contexts that skip TLS verification', () => {
    const loaded = loadKubeconfig({ file: kubeconfig });
    assert.equal(loaded.warnings.length, 2);
    assert.match(loaded.warnings[0] ?? '', /lab-oidc.*insecure-skip-tls-verify/);
  });

  it('names the file when it is missing or not a kubeconfig', () => {
    assert.throws(
      () => loadKubeconfig({ file: path.join(dir, 'nope') }),
      (e: Error) => e instanceof NoKubeconfigError && e.message === `No kubeconfig at ${path.join(dir, 'nope')}.`,
    );
    assert.throws(
      () => loadKubeconfig({ env: { KUBECONFIG: path.join(dir, 'gone') } }),
      (e: Error) => e.message === `No kubeconfig at ${path.join(dir, 'gone')} (the files KUBECONFIG names).`,
    );
    const broken = write('broken', 'clusters: [ {name: x, cluster: {} ]');
    assert.throws(
      () => loadKubeconfig({ file: broken }),
      (e: Error & { file?: string; code?: string }) => e.file === broken && e.code === 'invalid_kubeconfig',
    );
  });

  it('reads and merges KUBECONFIG files into the entries client-node reads, without loading it', () => {
    const second = write(
      'second',
      `current-context: other
clusters:
- name: other
  cluster: { server: https://other.example:6443/, certificate-authority: certs/ca.crt }
users:
- name: file-user
  user: { client-certificate: certs/user.crt, client-key: /abs/user.key }
contexts:
- name: other
  context: { cluster: other, user: file-user }
`,
    );
    const env = { KUBECONFIG: [kubeconfig, path.join(dir, 'absent'), second].join(path.delimiter) };
    const read = readKubeconfig({ env });
    // The reference: client-node's own loading and merging of the same files.
    const reference = new KubeConfig();
    for (const [index, file] of [kubeconfig, second].entries()) {
      const single = new KubeConfig();
      single.loadFromFile(file);
      reference.mergeConfig(single, index > 0);
    }
    assert.deepEqual(read.entries.clusters, reference.getClusters());
    assert.deepEqual(read.entries.users, reference.getUsers());
    assert.deepEqual(read.entries.contexts, reference.getContexts());
    assert.equal(read.currentContext, 'naples');
    assert.equal(read.entries.clusters[2]?.caFile, path.join(dir, 'certs', 'ca.crt'));
    assert.equal(read.contexts.find((c) => c.name === 'other')?.server, 'https://other.example:6443');
    const twice = { KUBECONFIG: [kubeconfig, kubeconfig].join(path.delimiter) };
    assert.throws(() => readKubeconfig({ env: twice }), /Duplicate cluster: naples/);
  });

  it('names the file and context when a context is unknown or dangling', () => {
    const loaded = loadKubeconfig({ file: kubeconfig });
    assert.throws(() => loaded.forContext('prod'), /No context "prod"/);
    assert.throws(() => loaded.forContext('dangling'), /names cluster "nowhere"/);
  });

  it('asks for sign-in before using a context bound to the AF Provisioner session', () => {
    const loaded = loadKubeconfig({ file: kubeconfig });
    assert.throws(
      () => loaded.forContext('lab-session'),
      (e: Error & { code?: string }) => e.code === 'unauthorized',
    );
    const kc = loaded.forContext('lab-session', { accessToken: () => Promise.resolve('t0ken-value-123') });
    assert.equal((kc.getCurrentUser()?.authProvider as { name?: string } | undefined)?.name, 'afp-session');
  });

  it('turns a missing exec plugin into a message that says what to install', () => {
    const spawnError = Object.assign(new Error('spawn kubelogin ENOENT'), {
      code: 'ENOENT',
      syscall: 'spawn kubelogin',
      path: 'kubelogin',
    });
    const error = describeKubeError(spawnError, { context: 'lab-oidc' });
    assert.equal(error.code, 'unauthorized');
    assert.match(error.message, /credential plugin "kubelogin" was not found \(context "lab-oidc"\)\. Install kubelogin/);
  });
});
