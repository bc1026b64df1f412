/**
 * The last lines of a log, bounded by a count and by their bytes together:
 * the oldest go first, and how many went is counted, so a view can say
 * "N earlier lines not kept" instead of growing with a chatty container.
 */
export class LineRing {
  private lines: string[] = [];
  private head = 0;
  private bytes = 0;
  dropped = 0;

  constructor(
    readonly maxLines: number,
    readonly maxBytes: number,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
    while (this.lines.length - this.head > this.maxLines || (this.bytes > this.maxBytes && this.lines.length - this.head > 1)) {
      this.bytes -= Buffer.byteLength(this.lines[this.head] ?? '') + 1;
      this.head += 1;
      this.dropped += 1;
    }
    // Compact now and then rather than shifting the array at every push.
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.lines.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** Everything held, oldest first, and the count dropped since the last take; the ring is then empty. */
  take(): { lines: string[]; dropped: number } {
    const out = { lines: this.lines.slice(this.head), dropped: this.dropped };
    this.lines = [];
    this.head = 0;
    this.bytes = 0;
    this.dropped = 0;
    return out;
  }
}
