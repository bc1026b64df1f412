/**
 * How the main process's heap grows: by half its live size before a full
 * collection, instead of V8's default of up to four times when the process is
 * busy. With 10,000 tracked pods the live heap is about 75 MB, but every batch
 * and list leaves garbage in the old generation, and at the default factor
 * the process held over 400 MB while pods streamed (bench/tracking.ts, issue
 * #23's goal: 300 MB). The price is a full collection every few seconds while
 * pods stream (tens of ms each, off the renderer's frames).
 *
 * V8 reads this flag at every collection, so setting it once the process runs
 * takes effect (measured in the preview under Node: 257 MB against 420 MB);
 * both entry points call this first. Electron's main process was not measured.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function applyHeapPolicy(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
