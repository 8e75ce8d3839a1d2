import type { Clock } from './clock.js';

/**
 * A clock that moves only when the test moves it. `now()` returns a fresh `Date` each call, so a
 * caller mutating the result cannot move the clock.
 */
export class FakeClock implements Clock {
  /** Monday 2024-01-01 00:00 UTC: a weekday, so forex sessions are open unless a test says otherwise. */
  static readonly DEFAULT_START = '2024-01-01T00:00:00.000Z';

  private current: number;

  constructor(start: Date | string | number = FakeClock.DEFAULT_START) {
    this.current = FakeClock.toMillis(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by `ms` (never backwards: use {@link set} for that) and returns the new time. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock.advance: ms must be a finite number >= 0, got ${ms}`);
    this.current += ms;
    return this.now();
  }

  /** Jumps to `date`, forwards or backwards (a clock correction is a case worth testing). */
  set(date: Date | string | number): void {
    this.current = FakeClock.toMillis(date);
  }

  private static toMillis(value: Date | string | number): number {
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) throw new RangeError(`FakeClock: not a valid time: ${String(value)}`);
    return ms;
  }
}
