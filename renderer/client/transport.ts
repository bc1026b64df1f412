import type { AppEvent, Result } from '../../main/api';

/** How the renderer reaches the main process: IPC through preload, or the preview's HTTP bridge. */
export interface Transport {
  request(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
}

declare global {
  interface Window {
    afp?: Transport;
  }
}
