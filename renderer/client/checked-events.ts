/**
 * Events from the main process are checked against the contract's event schema
 * on arrival, whichever way they came (IPC through preload, or the preview's
 * HTTP stream): one check, here, for both. An event that does not match is
 * dropped, never handed to a page half-understood.
 */
import { eventSchema, type AppEvent } from '../../main/api';
import type { RawTransport, Transport } from './transport';

export function checkedEvent(payload: unknown): AppEvent | undefined {
  const parsed = eventSchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  console.warn('An event that does not match the contract was dropped.', parsed.error.issues);
  return undefined;
}

export function checkedTransport(raw: RawTransport): Transport {
  return {
    request: (name, input) => raw.request(name, input),
    onEvent: (listener) =>
      raw.onEvent((payload) => {
        const event = checkedEvent(payload);
        if (event !== undefined) listener(event);
      }),
  };
}
