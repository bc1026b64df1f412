/**
 * What the cluster already holds for an environment, read before its plan is
 * rendered: whether its namespace is ours, someone else's or absent, and the
 * generated secrets as the live Secrets hold them, so an update or a resumed
 * deploy keeps every password without the app ever storing one.
 */
import { ApiException } from '@kubernetes/client-node';
import { ENVIRONMENT_ID_LABEL } from '../../render/identity';
import type { ExistingEnvironment } from '../kinds/target';
import { describeKubeError } from '../../kube/api-errors';
import type { KubeClient } from '../../kube/client';

interface NamespaceJson {
  metadata?: { labels?: Record<string, string>; deletionTimestamp?: string };
  status?: { phase?: string };
}

interface SecretList {
  items?: { metadata?: { name?: string }; data?: Record<string, string> }[];
}

export async function readExisting(
  client: KubeClient,
  environment: { id: string; namespace: string },
  signal: AbortSignal,
): Promise<ExistingEnvironment> {
  const ns = encodeURIComponent(environment.namespace);
  let namespace: NamespaceJson;
  try {
    namespace = await client.get<NamespaceJson>(`/api/v1/namespaces/${ns}`, { signal, abortInFlight: true });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return { presence: 'absent', secrets: {} };
    if (error instanceof ApiException && error.code === 403) {
      // May not read namespaces: the deploy itself will say what it may not do.
      return {
        presence: 'unknown',
        secrets: {},
        message: describeKubeError(error, { object: `Namespace ${environment.namespace}`, context: client.context }).message,
      };
    }
    throw describeKubeError(error, { object: `Namespace ${environment.namespace}`, server: client.server, context: client.context });
  }
  const owner = namespace.metadata?.labels?.[ENVIRONMENT_ID_LABEL];
  if (owner !== environment.id) {
    const whose = owner === undefined ? 'it was not created by AF Provisioner' : `it belongs to another environment (${owner})`;
    return {
      presence: 'foreign',
      secrets: {},
      message: `Namespace ${environment.namespace} already exists and ${whose}; choose another environment name.`,
    };
  }
  if (namespace.metadata?.deletionTimestamp !== undefined || namespace.status?.phase === 'Terminating') {
    return {
      presence: 'deleting',
      secrets: {},
      message: `Namespace ${environment.namespace} is still being deleted; try again when it is gone.`,
    };
  }
  const selector = encodeURIComponent(`${ENVIRONMENT_ID_LABEL}=${environment.id}`);
  try {
    const list = await client.get<SecretList>(`/api/v1/namespaces/${ns}/secrets?labelSelector=${selector}`, {
      signal,
      abortInFlight: true,
    });
    return { presence: 'ours', secrets: secretValues(list) };
  } catch (error) {
    throw describeKubeError(error, { object: `Secrets in ${environment.namespace}`, server: client.server, context: client.context });
  }
}

/** "secret.key" → decoded value, for every key of every Secret listed. */
export function secretValues(list: SecretList): Record<string, string> {
  const values: Record<string, string> = {};
  for (const item of list.items ?? []) {
    const name = item.metadata?.name;
    if (name === undefined) continue;
    for (const [key, data] of Object.entries(item.data ?? {})) values[`${name}.${key}`] = Buffer.from(data, 'base64').toString('utf8');
  }
  return values;
}
