import type { AppEvent, RequestInput, RequestName, RequestOutput } from '../../main/api';
import type { ErrorCode, MessageParams } from '../../main/api';
import { checkedTransport } from './checked-events';
import { createHttpTransport, takePreviewToken } from './http-transport';
import type { Transport } from './transport';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly file?: string,
    readonly line?: number,
    /** The core's message id and parameters, to say it in the user's language (main/messages). */
    readonly id?: string,
    readonly params?: MessageParams,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function pickTransport(): Transport {
  if (window.afp !== undefined) return checkedTransport(window.afp);
  const token = takePreviewToken();
  if (token === undefined) {
    return {
      request: () =>
        Promise.resolve({
          ok: false,
          error: { code: 'unauthorized', message: 'Open the preview with the link printed by npm start (it carries the access token).' },
        }),
      onEvent: () => () => undefined,
    };
  }
  return checkedTransport(createHttpTransport(token));
}

const transport = pickTransport();

/** Calls one contract request; an error answer is thrown as ApiError with its code, message and field. */
export async function call<K extends RequestName>(name: K, input: RequestInput<K>): Promise<RequestOutput<K>> {
  const result = await transport.request(name, input);
  if (result.ok) return result.value as RequestOutput<K>;
  const { code, message, field, file, line, id, params } = result.error;
  throw new ApiError(code, message, field, file, line, id, params);
}

export function subscribe(listener: (event: AppEvent) => void): () => void {
  return transport.onEvent(listener);
}
