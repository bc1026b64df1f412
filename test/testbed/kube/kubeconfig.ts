/**
 * Kubeconfig files for the test bed: one per identity (admin, each control-plane
 * component, kwok), with the CA and client certificate inline so a file can be
 * copied anywhere (a test's temp dir, the app's settings) and still work.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigIdentity {
  server: string;
  caPem: string;
  /** Client certificate and key (PEM), or a bearer token. */
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  /** Context, cluster and user names; defaults to "afp-testbed". */
  name?: string;
}

export function kubeconfigYaml(identity: KubeconfigIdentity): string {
  const name = identity.name ?? 'afp-testbed';
  const user: Record<string, string> = {};
  if (identity.clientCertPem !== undefined && identity.clientKeyPem !== undefined) {
    user['client-certificate-data'] = base64(identity.clientCertPem);
    user['client-key-data'] = base64(identity.clientKeyPem);
  }
  if (identity.token !== undefined) user.token = identity.token;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: identity.server, 'certificate-authority-data': base64(identity.caPem) } }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}

export async function writeKubeconfig(path: string, identity: KubeconfigIdentity): Promise<string> {
  await writeFile(path, kubeconfigYaml(identity), { mode: 0o600 });
  return path;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
