import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('starts on Monday 2024-01-01 00:00 UTC unless told otherwise', () => {
    expect(new FakeClock().now().toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new FakeClock('2025-03-04T05:06:07.008Z').now().toISOString()).toBe('2025-03-04T05:06:07.008Z');
  });

  it('stands still until advanced, then moves by exactly the given milliseconds', () => {
    const clock = new FakeClock(0);
    expect(clock.now().getTime()).toBe(0);
    expect(clock.now().getTime()).toBe(0);
    expect(clock.advance(1_500).getTime()).toBe(1_500);
    expect(clock.now().getTime()).toBe(1_500);
  });

  it('cannot be moved by mutating a date it returned', () => {
    const clock = new FakeClock(1_000);
    clock.now().setTime(99_999);
    expect(clock.now().getTime()).toBe(1_000);
  });

  it('jumps backwards or forwards with set', () => {
    const clock = new FakeClock('2024-06-01T00:00:00Z');
    clock.set(new Date('2024-05-31T23:59:59Z'));
    expect(clock.now().toISOString()).toBe('2024-05-31T23:59:59.000Z');
  });

  it('refuses negative or non-finite advances and invalid times', () => {
    const clock = new FakeClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.set('not a date')).toThrow(RangeError);
    expect(() => new FakeClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
