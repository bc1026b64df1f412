/**
 * Reads the owner's credentials of an environment at the moment of asking:
 * the record names which keys of which Secrets (the template's credentials
 * section), the target's API gives their values, as the user whose
 * kubeconfig can read the namespace's Secrets (IM and the dispatcher:
 * credentials-im.ts). Nothing here is stored or logged; errors name the
 * Secret, never a value.
 */
import type { CredentialsView, CredentialView } from '../contract/credentials';
import { describeKubeError } from '../kube/api-errors';
import { KubeClient } from '../kube/client';
import type { EnvironmentRecord } from '../inventory/record';
import type { KubeConfigFor } from '../tracking/cluster-registry';
import { statusReaders, type CoreOptions } from './environments-core';
import { clusterOf } from '../targets/kinds/cluster-of';
import { imClientForRecord } from '../targets/dispatcher/im-status-source';
import { readImCredentials } from './credentials-im';

interface SecretObject {
  data?: Record<string, string>;
}

const NOT_KUBE = 'Credentials of an IM or dispatcher environment are read from IM: sign in to read them.';

export async function readCredentials(record: EnvironmentRecord, kubeConfigFor: KubeConfigFor): Promise<CredentialsView> {
  const target = clusterOf(record.target);
  if (target === undefined) return { credentials: [], unavailable: NOT_KUBE };
  const wanted = record.credentials ?? [];
  if (wanted.length === 0) return { credentials: [] };
  const client = new KubeClient(kubeConfigFor(target), { maxInFlight: 4 });
  try {
    const names = new Set(wanted.flatMap((c) => [c.secret.name, ...(typeof c.username === 'object' ? [c.username.secret.name] : [])]));
    const secrets = new Map<string, Record<string, string>>();
    for (const name of names) {
      const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/secrets/${encodeURIComponent(name)}`;
      try {
        secrets.set(name, (await client.request<SecretObject>('GET', path)).data ?? {});
      } catch (error) {
        throw describeKubeError(error, { object: `Secret ${target.namespace}/${name}`, server: target.server });
      }
    }
    const value = (ref: { name: string; key: string }): string => {
      const encoded = secrets.get(ref.name)?.[ref.key];
      return encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
    };
    return {
      credentials: wanted.map((c): CredentialView => ({
        id: c.id,
        title: c.title,
        component: c.component,
        ...(c.username === undefined ? {} : { username: typeof c.username === 'string' ? c.username : value(c.username.secret) }),
        secret: value(c.secret),
      })),
    };
  } finally {
    client.close();
  }
}

/**
 * The same, with the kubeconfig read as the app and `afp status` read it (contexts bound to the session use its
 * token); for IM and the dispatcher, from the TOSCA IM stores, asked as the signed-in user.
 */
export function environmentCredentials(
  record: EnvironmentRecord,
  options: Pick<CoreOptions, 'profile' | 'session' | 'caPem'>,
): Promise<CredentialsView> {
  if (clusterOf(record.target) === undefined) {
    const { session } = options;
    if (session === undefined) return Promise.resolve({ credentials: [], unavailable: NOT_KUBE });
    const client = imClientForRecord(record, {
      tokens: session,
      profile: () => options.profile()?.profile.targets ?? null,
      ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
    });
    if (client === undefined)
      return Promise.resolve({ credentials: [], unavailable: 'No IM is known for this environment (the site profile names none).' });
    return readImCredentials(record, client);
  }
  return readCredentials(record, statusReaders(options).kubeConfigFor);
}
