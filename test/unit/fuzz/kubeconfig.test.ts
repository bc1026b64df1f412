/** Fuzzed kubeconfigs: loading and choosing a context end in a client configuration or an error naming the file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadKubeconfig } from '../../../main/kube/kubeconfig';
import { fuzzParameters, mutatedDocument, settle, yamlishText, holds } from './support';

const dir = mkdtempSync(path.join(os.tmpdir(), 'afp-fuzz-kubeconfig-'));
const FILE = path.join(dir, 'config');
const VALID = `apiVersion: v1
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
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --oidc-issuer-url=https://iam.example]
- name: bearer
  user: { token: abc }
contexts:
- name: naples
  context: { cluster: naples, user: admin, namespace: physics }
- name: lab
  context: { cluster: lab, user: oidc }
- name: session
  context: { cluster: naples, user: bearer }
`;

async function check(text: string): Promise<void> {
  writeFileSync(FILE, text);
  // kubeconfig errors name the file; the field is rarely known (client-node does not say), so only the file is required.
  const { value: loaded } = await settle(() => loadKubeconfig({ file: FILE }));
  if (loaded === undefined) return;
  for (const name of [loaded.currentContext, ...loaded.contexts.map((c) => c.name), 'no-such-context']) {
    await settle(() => loaded.forContext(name).makeApiClient !== undefined);
  }
}

describe('fuzzed kubeconfigs', { timeout: 120_000 }, () => {
  it('random and YAML-like text', async () => {
    await holds(fc.asyncProperty(yamlishText, check), fuzzParameters(40));
  });

  it('a valid kubeconfig with one field changed, removed or added', async () => {
    await holds(fc.asyncProperty(mutatedDocument(VALID), check), fuzzParameters(80));
  });
});
