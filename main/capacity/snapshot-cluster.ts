/**
 * A snapshot of a live cluster through the official client: one paged list
 * of nodes and one paged list of non-terminated pods, read concurrently.
 */
import { ApiException, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { AfpError } from '../errors';
import { SnapshotBuilder, type ClusterSnapshot } from './snapshot';

export interface ClusterSnapshotOptions {
  /** Items per page (`limit`); the API server may return fewer. Default 500, as kubectl uses. */
  pageSize?: number;
}

/** Pods that still hold node resources; the scheduler drops Succeeded and Failed ones too. */
export const NON_TERMINATED_PODS = 'status.phase!=Succeeded,status.phase!=Failed';

const DEFAULT_PAGE_SIZE = 500;

export async function snapshotFromCluster(kubeConfig: KubeConfig, opts: ClusterSnapshotOptions = {}): Promise<ClusterSnapshot> {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const limit = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const builder = new SnapshotBuilder();
  const where = describeCluster(kubeConfig);

  const readNodes = async (): Promise<void> => {
    let token: string | undefined;
    do {
      const page = await call(where, 'list nodes', () => api.listNode({ limit, ...(token ? { _continue: token } : {}) }));
      for (const node of page.items) builder.addNode(node);
      token = page.metadata?._continue || undefined;
    } while (token);
  };

  const readPods = async (): Promise<void> => {
    let token: string | undefined;
    let restarted = false;
    do {
      let page;
      try {
        page = await call(where, 'list pods', () =>
          api.listPodForAllNamespaces({ fieldSelector: NON_TERMINATED_PODS, limit, ...(token ? { _continue: token } : {}) }),
        );
      } catch (error) {
        // A continue token expires (410 Gone) when etcd compacts during a long list: start over once.
        if (token && !restarted && error instanceof AfpError && error.code === 'conflict') {
          restarted = true;
          token = undefined;
          builder.resetPods();
          continue;
        }
        throw error;
      }
      for (const pod of page.items) builder.addPod(pod);
      token = page.metadata?._continue || undefined;
    } while (token);
  };

  await Promise.all([readNodes(), readPods()]);
  return builder.build('cluster');
}

function describeCluster(kubeConfig: KubeConfig): string {
  const server = kubeConfig.getCurrentCluster()?.server;
  return server ? `cluster ${server}` : `context ${kubeConfig.getCurrentContext()}`;
}

async function call<T>(where: string, what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw apiError(where, what, error);
  }
}

function apiError(where: string, what: string, error: unknown): AfpError {
  if (error instanceof ApiException) {
    const status = (error as ApiException<unknown>).code;
    const detail = serverMessage((error as ApiException<unknown>).body);
    const suffix = detail ? `: ${detail}` : '';
    if (status === 401) return new AfpError('unauthorized', `${where} refused the credentials to ${what} (HTTP 401)${suffix}`, { cause: error });
    if (status === 403) return new AfpError('forbidden', `${where} does not allow this user to ${what} (HTTP 403)${suffix}`, { cause: error });
    if (status === 410) return new AfpError('conflict', `${where}: the list expired while paging (HTTP 410)${suffix}`, { cause: error });
    return new AfpError('unavailable', `${where} failed to ${what} (HTTP ${status})${suffix}`, { cause: error });
  }
  if (error instanceof AfpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AfpError('unavailable', `could not reach ${where} to ${what}: ${message}`, { cause: error });
}

function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return serverMessage(JSON.parse(body) as unknown);
    } catch {
      return body.slice(0, 200) || undefined;
    }
  }
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return undefined;
}
