/**
 * A `fetch` that trusts one extra CA (the bed's), built on node:https because
 * Node 20's global fetch takes no CA option and NODE_EXTRA_CA_CERTS is read
 * only at start. Redirects are never followed: callers see each 3xx, which is
 * what an OAuth client and a form-filling test need. Usable as openid-client's
 * `customFetch`.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** RequestInit whose fields may hold undefined, as openid-client's customFetch passes them. */
export type FetchInit = { [K in keyof RequestInit]?: RequestInit[K] | undefined };
export type FetchLike = (input: string | URL, init?: FetchInit) => Promise<Response>;

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

export function caFetch(caPem: string, timeoutMs = 15_000): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    const body = await bodyBytes(init.body);
    if (body !== undefined && !headers.has('content-length')) headers.set('content-length', String(body.length));
    if (init.body instanceof URLSearchParams && !headers.has('content-type'))
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = send(
        url,
        { method: init.method ?? 'GET', headers: Object.fromEntries(headers), ca: caPem, timeout: timeoutMs, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
            }
            const payload = NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${timeoutMs} ms`)));
      req.on('error', reject);
      init.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')));
      req.end(body);
    });
  };
}

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(await new Response(body).arrayBuffer());
}
