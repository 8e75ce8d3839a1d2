/**
 * Marks of outbox rows published right after their commit, gathered for a short while and written
 * as one UPDATE: one statement for many messages instead of one per commit. A mark that is late
 * or lost only lets the relay send that row again (rows younger than its minimum age are skipped
 * anyway, and JetStream drops the copy inside its duplicate window).
 */
export class PublishedMarks {
  private keys: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly write: (keys: readonly string[]) => Promise<void>, private readonly delayMs = 20) {}

  add(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.keys.push(...keys);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref();
  }

  /** Writes what is gathered now (also on stop). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const keys = this.keys;
    this.keys = [];
    // A failed write is dropped, not kept: a rejected chain would skip every later write, and a
    // lost mark only costs a re-send by the relay (see above).
    if (keys.length > 0) this.writing = this.writing.then(() => this.write(keys)).catch(() => undefined);
    return this.writing;
  }
}
