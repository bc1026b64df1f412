/** IM's contextualisation log, and its last lines for an error message. */
import type { ImClient } from './im-client';

const TAIL_LINES = 3;

/** The last few non-empty lines of IM's log; empty when IM has none or does not answer. */
export async function contmsgTail(client: ImClient, id: string, signal: AbortSignal): Promise<string> {
  try {
    const log = await client.contmsg(id, { signal });
    return log
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .slice(-TAIL_LINES)
      .join(' / ');
  } catch {
    return '';
  }
}
