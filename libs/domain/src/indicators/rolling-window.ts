/**
 * A fixed-capacity ring of numbers with a one-step undo, the storage under every windowed
 * indicator. `undo()` reverts the latest `push` exactly (including the value it evicted), which is
 * what `replace` needs: undo the last add, then add the replacement.
 */
export class RollingWindow {
  readonly capacity: number;
  private readonly values: Float64Array;
  /** Slot the next push writes to. */
  private head = 0;
  private count = 0;
  private lastEvicted = Number.NaN;
  private lastPushEvicted = false;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** True when the next push writes slot 0, i.e. once per full rotation of the window. */
  get atRotation(): boolean {
    return this.head === 0;
  }

  /** The value the latest push pushed out, or NaN if the window was not full then. */
  get evicted(): number {
    return this.lastEvicted;
  }

  /**
   * Appends a value; read `evicted` for what fell out. (No return value: a double returned from
   * a call the JIT does not inline is boxed, which would be an allocation per bar.)
   */
  push(value: number): void {
    const head = this.head;
    if (this.count === this.capacity) {
      this.lastEvicted = this.values[head];
      this.lastPushEvicted = true;
    } else {
      this.count++;
      this.lastEvicted = Number.NaN;
      this.lastPushEvicted = false;
    }
    this.values[head] = value;
    this.head = head + 1 === this.capacity ? 0 : head + 1;
  }

  /** Reverts the latest push. Only one level deep: call it at most once per push. */
  undo(): void {
    const head = this.head === 0 ? this.capacity - 1 : this.head - 1;
    this.head = head;
    if (this.lastPushEvicted) {
      this.values[head] = this.lastEvicted;
    } else {
      this.values[head] = 0;
      this.count--;
    }
  }

  /** The i-th value from the oldest (0) to the newest (size - 1). */
  at(index: number): number {
    let slot = this.head - this.count + index;
    if (slot < 0) slot += this.capacity;
    return this.values[slot];
  }

  /** The most recent value (NaN when empty). */
  newest(): number {
    if (this.count === 0) return Number.NaN;
    return this.values[this.head === 0 ? this.capacity - 1 : this.head - 1];
  }

  /** Exact sum of the window, oldest first (the order a batch computation would use). */
  sum(): number {
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.at(i);
    return total;
  }

  reset(): void {
    this.values.fill(0);
    this.head = 0;
    this.count = 0;
    this.lastEvicted = Number.NaN;
    this.lastPushEvicted = false;
  }
}
