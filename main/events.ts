import type { AppEvent } from './api';

export type EventListener = (event: AppEvent) => void;

/** Fan-out of contract events to the bridges; a listener that throws cannot stop the others. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit(event: AppEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (a closed window, a dropped stream) must not break the emitter.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
