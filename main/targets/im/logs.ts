/**
 * IM's contextualisation log, and its gist for an error message: the last
 * distinct lines, with the API server's JSON Status replaced by its message
 * and IM's three identical attempts said once.
 */
import type { ImClient } from './im-client';

const TAIL_LINES = 2;

/** The gist of IM's log; empty when IM has none or does not answer. */
export async function contmsgTail(client: ImClient, id: string, signal: AbortSignal): Promise<string> {
  try {
    return logGist(await client.contmsg(id, { signal }));
  } catch {
    return '';
  }
}

export function logGist(log: string, lines = TAIL_LINES): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  const pieces = log.split('\n').flatMap((raw) => statusMessages(raw).split(/\s*\bAttempt \d+:\s*/));
  for (const piece of pieces) {
    const line = piece.replace(/^\d{4}-\d\d-\d\d[ T][\d:.]+:?\s*/, '').trim();
    if (line === '' || seen.has(line)) continue;
    seen.add(line);
    kept.push(line);
  }
  return kept.slice(-lines).join(' / ');
}

/** `{"kind":"Status",…,"message":"…"}` → its message. */
function statusMessages(line: string): string {
  return line.replace(/\{"kind":\s*"Status".*?\}(?=\s*(\/|$|Attempt))/g, (json) => {
    try {
      const message = (JSON.parse(json) as { message?: unknown }).message;
      return typeof message === 'string' ? message : json;
    } catch {
      return json;
    }
  });
}
