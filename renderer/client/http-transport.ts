import { HTTP_EVENTS_PATH, HTTP_REQUEST_PREFIX, type Result } from '../../main/api';
import type { RawTransport } from './transport';

const TOKEN_KEY = 'afp.previewToken';

/** The preview token arrives in the URL fragment once; it is kept for this tab only and removed from the address bar. */
export function takePreviewToken(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1] !== undefined) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** The preview's HTTP bridge; its events are checked by checkedTransport, as IPC's are. */
export function createHttpTransport(token: string): RawTransport {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  return {
    async request(name, input) {
      try {
        const response = await fetch(`${HTTP_REQUEST_PREFIX}${encodeURIComponent(name)}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
        });
        return (await response.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'The app is not reachable. Is the preview still running?' } };
      }
    },
    onEvent(listener) {
      const controller = new AbortController();
      void streamEvents(controller.signal, headers, listener);
      return () => controller.abort();
    },
  };
}

/** Server-sent events read with fetch, so the token travels in a header rather than the URL. Reconnects with backoff. */
async function streamEvents(signal: AbortSignal, headers: Record<string, string>, listener: (payload: unknown) => void): Promise<void> {
  let delay = 250;
  while (!signal.aborted) {
    try {
      const response = await fetch(HTTP_EVENTS_PATH, { headers, signal });
      if (response.body === null || !response.ok) throw new Error(`events: ${response.status}`);
      delay = 250;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatchFrame(buffer.slice(0, end), listener);
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

function dispatchFrame(frame: string, listener: (payload: unknown) => void): void {
  const data = frame
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6))
    .join('\n');
  if (data === '') return;
  listener(JSON.parse(data));
}
