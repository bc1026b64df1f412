import type { ParsedInput, RequestName, RequestOutput } from '../api';

/** What a handler knows of its caller; the bridges fill it in. */
export interface RequestContext {
  /** Which bridge the request came through, for logs. */
  via: 'ipc' | 'http' | 'cli' | 'test';
}

/** One handler per contract entry: a missing one is a type error in app.ts. */
export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>, context: RequestContext) => Promise<RequestOutput<K>>;
};
