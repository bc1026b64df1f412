/**
 * A paged LIST as raw JSON, with the client configuration's TLS and
 * credentials. client-node's typed list calls turn timestamps into Dates while
 * its Watch hands out plain JSON; listing raw keeps one shape for both.
 */
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import https from 'node:https';
import type { OutgoingHttpHeaders } from 'node:http';

export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface RawList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: RawObject[];
}

export interface ListResult {
  items: RawObject[];
  resourceVersion: string;
}

export async function listAll(
  kc: KubeConfig,
  path: string,
  query: Record<string, string>,
  signal: AbortSignal,
  pageSize = 500,
): Promise<ListResult> {
  const items: RawObject[] = [];
  const resourceVersion = await listEach(kc, path, query, signal, (item) => items.push(item), pageSize);
  return { items, resourceVersion };
}

/**
 * The same paged LIST, handing each object to `each` as its page arrives, so a
 * caller that keeps a projection (an informer of 150,000 pods) never holds
 * every raw object at once. Returns the list's resourceVersion.
 */
export async function listEach(
  kc: KubeConfig,
  path: string,
  query: Record<string, string>,
  signal: AbortSignal,
  each: (item: RawObject) => void,
  pageSize = 500,
): Promise<string> {
  let next: string | undefined;
  let resourceVersion = '';
  do {
    const params = new URLSearchParams({ ...query, limit: String(pageSize) });
    if (next !== undefined) params.set('continue', next);
    const page = await getJson<RawList>(kc, `${path}?${params.toString()}`, signal);
    for (const item of page.items ?? []) each(item);
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    next = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
  } while (next !== undefined);
  return resourceVersion;
}

/** `accept` can ask for less than the object (PartialObjectMetadata: a Secret's metadata without its data). */
export async function getJson<T>(kc: KubeConfig, pathAndQuery: string, signal: AbortSignal, accept = 'application/json'): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (server === undefined) throw new Error('the kubeconfig context has no cluster');
  const options: https.RequestOptions & { headers: OutgoingHttpHeaders } = { method: 'GET', headers: { accept } };
  await kc.applyToHTTPSOptions(options);
  const url = new URL(server.replace(/\/+$/, '') + pathAndQuery);
  return new Promise<T>((resolve, reject) => {
    const request = https.request(url, { ...options, signal, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Left as text: proxies answer errors in HTML.
        }
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(body as T);
        else reject(new ApiException(status, statusMessage(body) ?? `HTTP ${status}`, body, {}));
      });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer from ${url.host} within 30 s`), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end();
  });
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string')
    return (body as { message: string }).message;
  return undefined;
}
