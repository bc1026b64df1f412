/**
 * A snapshot of a live cluster through the official client: one paged list
 * of nodes and one paged list of non-terminated pods, read concurrently.
 */
import { ApiException, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { describeKubeError } from '../kube/api-errors';
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
  const where = whereOf(kubeConfig);

  const readNodes = async (): Promise<void> => {
    let token: string | undefined;
    do {
      const page = await call(where, 'nodes', false, () => api.listNode({ limit, ...(token ? { _continue: token } : {}) }));
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
        // A continue token expires (410 Gone) when etcd compacts during a long list: start over, once.
        page = await call(where, 'pods', token !== undefined && !restarted, () =>
          api.listPodForAllNamespaces({ fieldSelector: NON_TERMINATED_PODS, limit, ...(token ? { _continue: token } : {}) }),
        );
      } catch (error) {
        if (!(error instanceof ListExpired)) throw error;
        restarted = true;
        token = undefined;
        builder.resetPods();
        continue;
      }
      for (const pod of page.items) builder.addPod(pod);
      token = page.metadata?._continue || undefined;
    } while (token);
  };

  await Promise.all([readNodes(), readPods()]);
  return builder.build('cluster');
}

interface Where {
  server?: string;
  context: string;
}

function whereOf(kubeConfig: KubeConfig): Where {
  const server = kubeConfig.getCurrentCluster()?.server;
  return { context: kubeConfig.getCurrentContext(), ...(server ? { server } : {}) };
}

/** A continue token expired (410 Gone): the list must start over. */
class ListExpired extends Error {}

async function call<T>(where: Where, what: string, restartable: boolean, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (restartable && error instanceof ApiException && (error as ApiException<unknown>).code === 410) throw new ListExpired(what);
    throw describeKubeError(error, { ...where, object: `Listing the cluster's ${what}` });
  }
}
