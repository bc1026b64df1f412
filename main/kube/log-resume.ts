/**
 * Where a followed log reopens after a cut. Lines come with the kubelet's
 * timestamp (RFC 3339, nanoseconds, UTC); the API takes `sinceTime` in whole
 * seconds, so a reopened log repeats that second's lines, and those already
 * handed on are skipped: the reader sees each line once, in order.
 */

/** Splits "2026-12-06T22:50:01.123456789Z text" into its timestamp and text; a line without one is all text. */
export function splitTimestamp(line: string): { timestamp: string | undefined; text: string } {
  const space = line.indexOf(' ');
  const head = space < 0 ? line : line.slice(0, space);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(head)) return { timestamp: undefined, text: line };
  return { timestamp: head, text: space < 0 ? '' : line.slice(space + 1) };
}

/** Comparable as strings: the fraction padded to nine digits (Go's RFC3339Nano trims trailing zeros). */
function sortable(timestamp: string): string {
  const [seconds = '', fraction = ''] = timestamp.slice(0, -1).split('.');
  return `${seconds}.${fraction.padEnd(9, '0')}`;
}

export class ResumePoint {
  /** Lines handed on so far. */
  handedOn = 0;
  /** A 200 answer came at least once: later failures to connect may be passing. */
  opened = false;
  private last: string | undefined;
  private atLast = 0;
  private replay: { key: string; count: number } | undefined;

  /** The `sinceTime` to reopen from (the last line's second), and from now on skip what was handed on. */
  since(): string | undefined {
    if (this.last === undefined) return undefined;
    this.replay = { key: this.last, count: this.atLast };
    return `${this.last.slice(0, 19)}Z`;
  }

  /** Whether a line with this timestamp is new; counts it if so. A line without one (a long line's rest) always is. */
  accept(timestamp: string | undefined): boolean {
    if (timestamp === undefined) {
      this.handedOn += 1;
      return true;
    }
    const key = sortable(timestamp);
    if (this.replay !== undefined) {
      if (key < this.replay.key) return false;
      if (key === this.replay.key && this.replay.count > 0) {
        this.replay.count -= 1;
        return false;
      }
      this.replay = undefined;
    }
    if (key === this.last) this.atLast += 1;
    else {
      this.last = key;
      this.atLast = 1;
    }
    this.handedOn += 1;
    return true;
  }
}
