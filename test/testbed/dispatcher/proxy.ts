/**
 * /infrastructures and everything under it, passed to IM as is (the real
 * dispatcher's proxy): method, query, body and the caller's headers, so the
 * caller writes IM's own Authorization header. No authentication here.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { json, type Reply } from './deployments';

const NOT_FORWARDED = new Set(['host', 'content-length', 'connection']);
const NOT_RETURNED = new Set(['transfer-encoding', 'connection', 'content-length', 'content-encoding']);

export async function forwardToIm(
  imHost: string,
  method: string,
  pathAndQuery: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<Reply> {
  const target = `${imHost.replace(/\/+$/, '')}${pathAndQuery}`;
  const outgoing = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) outgoing.append(name, one);
  }
  try {
    const answer = await fetch(target, {
      method,
      headers: outgoing,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      signal: AbortSignal.timeout(30_000),
    });
    const returned: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!NOT_RETURNED.has(name)) returned[name] = value;
    });
    return { status: answer.status, headers: returned, body: Buffer.from(await answer.arrayBuffer()) };
  } catch (error) {
    return json(502, { error: `Error connecting backend: ${error instanceof Error ? error.message : String(error)}` });
  }
}
