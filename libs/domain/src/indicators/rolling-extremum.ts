/**
 * Rolling maximum (or minimum) of the last `capacity` values with a monotonic deque: O(1)
 * amortised per push. `undo()` reverts the latest push by restoring the evicted value and
 * rebuilding the deque from the window, O(capacity); it only runs for `replace` on a forming bar.
 */
export class RollingExtremum {
  readonly capacity: number;
  private readonly wantMax: boolean;
  /** Value of input number `seq` lives at `seq % capacity`. */
  private readonly values: Float64Array;
  /** Sequence numbers of the deque, a ring of `capacity` slots (the deque never holds more). */
  private readonly deque: Float64Array;
  private front = 0;
  private length = 0;
  private pushed = 0;
  private lastEvicted = Number.NaN;

  constructor(capacity: number, kind: 'max' | 'min') {
    this.capacity = capacity;
    this.wantMax = kind === 'max';
    this.values = new Float64Array(capacity);
    this.deque = new Float64Array(capacity);
  }

  get isFull(): boolean {
    return this.pushed >= this.capacity;
  }

  get size(): number {
    return this.pushed < this.capacity ? this.pushed : this.capacity;
  }

  /** The extremum of the window (NaN when empty). */
  get value(): number {
    return this.length === 0 ? Number.NaN : this.values[this.deque[this.front] % this.capacity];
  }

  push(value: number): void {
    const capacity = this.capacity;
    const seq = this.pushed++;
    const slot = seq % capacity;
    this.lastEvicted = this.values[slot];
    this.values[slot] = value;
    // Drop the front if it fell out of the window.
    if (this.length > 0 && this.deque[this.front] <= seq - capacity) {
      this.front = this.front + 1 === capacity ? 0 : this.front + 1;
      this.length--;
    }
    // Drop from the back everything the new value dominates.
    const values = this.values;
    const deque = this.deque;
    while (this.length > 0) {
      let back = this.front + this.length - 1;
      if (back >= capacity) back -= capacity;
      const candidate = values[deque[back] % capacity];
      if (this.wantMax ? candidate > value : candidate < value) break;
      this.length--;
    }
    let tail = this.front + this.length;
    if (tail >= capacity) tail -= capacity;
    deque[tail] = seq;
    this.length++;
  }

  /** Reverts the latest push (one level deep). */
  undo(): void {
    const seq = --this.pushed;
    this.values[seq % this.capacity] = this.lastEvicted;
    this.rebuild();
  }

  reset(): void {
    this.values.fill(0);
    this.deque.fill(0);
    this.front = 0;
    this.length = 0;
    this.pushed = 0;
    this.lastEvicted = Number.NaN;
  }

  private rebuild(): void {
    const capacity = this.capacity;
    const end = this.pushed;
    const start = end > capacity ? end - capacity : 0;
    this.front = 0;
    this.length = 0;
    for (let seq = start; seq < end; seq++) {
      const value = this.values[seq % capacity];
      while (this.length > 0) {
        const candidate = this.values[this.deque[this.length - 1] % capacity];
        if (this.wantMax ? candidate > value : candidate < value) break;
        this.length--;
      }
      this.deque[this.length++] = seq;
    }
  }
}
