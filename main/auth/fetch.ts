/**
 * The `fetch` every identity-provider request goes through (openid-client's
 * customFetch). Built on node:https so a site's own CA can be trusted per
 * request, on top of the system's roots, the way NODE_EXTRA_CA_CERTS would;
 * TLS verification is never turned off. Redirects are not followed: OAuth
 * endpoints answer directly, and the client must see any 3xx itself.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** RequestInit whose fields may hold undefined: openid-client's customFetch passes `body: undefined` on a GET. */
export type FetchInit = { [K in keyof RequestInit]?: RequestInit[K] | undefined };
export type FetchLike = (input: string | URL | Request, init?: FetchInit) => Promise<Response>;

export interface AuthFetchOptions {
  /** PEM of an extra CA to trust (the site's or the test bed's). */
  caPem?: string;
  /** Per request, including reading the answer. */
  timeoutMs?: number;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function createAuthFetch(options: AuthFetchOptions = {}): FetchLike {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ca = options.caPem === undefined ? undefined : [...rootCertificates, options.caPem];
  return async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    const method = init.method ?? request?.method ?? 'GET';
    const headers = new Headers(init.headers ?? request?.headers);
    const body = await bodyBytes(init.body ?? (request?.body === null || request === undefined ? undefined : await request.arrayBuffer()));
    if (body !== undefined) headers.set('content-length', String(body.length));
    if (init.body instanceof URLSearchParams && !headers.has('content-type'))
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
    if (send === undefined) throw new TypeError(`unsupported protocol ${url.protocol}`);
    return new Promise<Response>((resolve, reject) => {
      const req = send(
        url,
        { method, headers: Object.fromEntries(headers), agent: false, timeout: timeoutMs, ...(ca === undefined ? {} : { ca }) },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer from ${url.origin} is larger than ${MAX_BODY_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
            }
            const payload = NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks);
            const response = new Response(payload, { status, statusText: res.statusMessage ?? '', headers: responseHeaders });
            // oauth4webapi compares response.url with nothing, but error messages read better with it.
            Object.defineProperty(response, 'url', { value: url.href });
            resolve(response);
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(Object.assign(new Error(`no answer from ${url.origin} within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })),
      );
      req.on('error', reject);
      const abort = (): void => {
        req.destroy(signal?.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
      };
      signal?.addEventListener('abort', abort, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', abort));
      req.end(body);
    });
  };
}

async function bodyBytes(body: RequestInit['body'] | ArrayBuffer | undefined): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.from(await new Response(body).arrayBuffer());
}
