import type { AppEvent, Result } from '../../main/api';

/** How the renderer reaches the main process: IPC through preload, or the preview's HTTP bridge; events checked (checked-events.ts). */
export interface Transport {
  request(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** A transport as it arrives: its events are whatever the other side sent, not yet checked. */
export interface RawTransport {
  request(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    afp?: RawTransport;
  }
}
