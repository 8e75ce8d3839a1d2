import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Bar } from './bar.js';
import { importBarText } from './bar-import.js';
import { findGaps } from './gap-detection.js';
import { compileSessions } from './session-calendar.js';
import type { TradingSessions } from './trading-sessions.js';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const read = (file: string) => readFileSync(path.resolve(process.cwd(), '../shared/data/market', file), 'utf8');

// FX: Sunday 17:00 → Friday 17:00 New York (22:00 UTC in winter, 21:00 in summer).
const fx: TradingSessions = { timeZone: 'America/New_York', windows: [{ open: 'Sun 17:00', close: 'Fri 17:00' }] };
// The shared gold data pauses 16:00–18:00 New York every day (20:00–22:00 UTC in its July 2026 span).
const gold: TradingSessions = {
  timeZone: 'America/New_York',
  windows: [['Sun', 'Mon'], ['Mon', 'Tue'], ['Tue', 'Wed'], ['Wed', 'Thu'], ['Thu', 'Fri']].map(([open, close]) => ({ open: `${open} 18:00`, close: `${close} 16:00` })),
};
const crypto: TradingSessions = { windows: [{ open: 'Sun 00:00', close: 'Sun 00:00' }] };

function overlapsWeekend(from: number, to: number): boolean {
  for (let t = from; t < to; t += MINUTE) if (new Date(t).getUTCDay() === 6) return true;
  return false;
}

describe('gap detection on the shared data', () => {
  // EURUSD's export clock is UTC−03:30: its weekly open at Sunday 18:30 is the 22:00 UTC FX open.
  const files: Array<[string, string, string, TradingSessions]> = [
    ['EURUSD_M1.mt5-export.csv', 'EURUSD', '-03:30', fx],
    ['GBPUSD_M1.csv', 'GBPUSD', 'UTC', fx],
    ['USDJPY_M1.csv', 'USDJPY', 'UTC', fx],
    ['XAUUSD_M1.rates.csv', 'XAUUSD', 'UTC', gold],
    ['BTCUSDT_1m.binance.csv', 'BTCUSDT', 'UTC', crypto],
  ];

  it.each(files)('flags no weekend or session break in %s, only short quiet-hour holes', (file, symbol, timeZone, sessions) => {
    const { bars } = importBarText(read(file), { venue: 'mt5-demo', symbol, timeZone });
    const gaps = findGaps(bars, { timeframe: 'M1', sessions });
    expect(gaps.filter((gap) => overlapsWeekend(gap.from, gap.to))).toEqual([]);
    // The longest hole in these files inside a session is a few minutes (see README: missing minutes are real).
    expect(Math.max(0, ...gaps.map((gap) => gap.missingBars))).toBeLessThan(10);
  });

  it('flags a planted hole of 45 minutes on a Wednesday exactly, and hides one-minute holes with minBars', () => {
    const { bars } = importBarText(read('GBPUSD_M1.csv'), { venue: 'mt5-demo', symbol: 'GBPUSD' });
    const from = at('2021-02-10T13:00:00Z');
    const to = from + 45 * MINUTE;
    expect(bars.filter((bar) => bar.openTime >= from && bar.openTime < to)).toHaveLength(45);
    const holed = bars.filter((bar) => bar.openTime < from || bar.openTime >= to);
    expect(findGaps(holed, { timeframe: 'M1', sessions: fx, minBars: 10 })).toEqual([{ from, to, missingBars: 45 }]);
    expect(findGaps(holed, { timeframe: 'M1', sessions: fx })).toContainEqual({ from, to, missingBars: 45 });
  });

  it('does not flag the EURUSD Friday evening when the file clock is given, and does when it is wrongly taken as UTC', () => {
    const asUtc = importBarText(read('EURUSD_M1.mt5-export.csv'), { venue: 'mt5-demo', symbol: 'EURUSD' }).bars;
    const fridayHoles = findGaps(asUtc, { timeframe: 'M1', sessions: fx, minBars: 60 });
    expect(fridayHoles.length).toBeGreaterThan(0);
    expect(fridayHoles.every((gap) => new Date(gap.from).getUTCDay() === 5 && gap.missingBars === 210)).toBe(true);
  });
});

describe('findGaps', () => {
  const m1 = (iso: string): Pick<Bar, 'openTime'> => ({ openTime: at(iso) });

  it('splits a hole at a session break and does not count the break', () => {
    // Thursday 2026-07-02: gold closes 20:00 UTC and reopens 22:00 UTC.
    const bars = [m1('2026-07-02T19:50:00Z'), m1('2026-07-02T22:05:00Z')];
    expect(findGaps(bars, { timeframe: 'M1', sessions: gold })).toEqual([
      { from: at('2026-07-02T19:51:00Z'), to: at('2026-07-02T20:00:00Z'), missingBars: 9 },
      { from: at('2026-07-02T22:00:00Z'), to: at('2026-07-02T22:05:00Z'), missingBars: 5 },
    ]);
  });

  it('looks before the first and after the last bar when a range is given', () => {
    const bars = [m1('2021-02-10T10:03:00Z'), m1('2021-02-10T10:04:00Z')];
    const range = { from: at('2021-02-10T10:00:00Z'), to: at('2021-02-10T10:08:00Z') };
    expect(findGaps(bars, { timeframe: 'M1', sessions: fx, range })).toEqual([
      { from: at('2021-02-10T10:00:00Z'), to: at('2021-02-10T10:03:00Z'), missingBars: 3 },
      { from: at('2021-02-10T10:05:00Z'), to: at('2021-02-10T10:08:00Z'), missingBars: 3 },
    ]);
  });

  it('expects an H1 bar for an hour the session only partly covers', () => {
    // FX opens Sunday 22:00 UTC in winter: the 22:00 hour is expected, 21:00 is not.
    const bars = [{ openTime: at('2021-02-07T23:00:00Z') }];
    const range = { from: at('2021-02-07T20:00:00Z'), to: at('2021-02-07T23:00:00Z') };
    expect(findGaps(bars, { timeframe: 'H1', sessions: fx, range })).toEqual([{ from: at('2021-02-07T22:00:00Z'), to: at('2021-02-07T23:00:00Z'), missingBars: 1 }]);
  });

  it('follows daylight saving through a New York session: in summer FX opens at 21:00 UTC', () => {
    const calendar = compileSessions(fx);
    if (!calendar.ok) throw new Error(calendar.problems.join());
    expect(calendar.calendar.isOpen(at('2021-06-06T20:59:00Z'))).toBe(false);
    expect(calendar.calendar.isOpen(at('2021-06-06T21:00:00Z'))).toBe(true);
    expect(calendar.calendar.isOpen(at('2021-01-10T21:00:00Z'))).toBe(false);
    expect(calendar.calendar.isOpen(at('2021-01-10T22:00:00Z'))).toBe(true);
  });

  it('lists every problem of a malformed session definition', () => {
    expect(compileSessions({ timeZone: 'Mars/Olympus', windows: [{ open: 'Funday 10:00', close: 'Fri 25:00' }] })).toEqual({
      ok: false,
      problems: ['unknown session time zone "Mars/Olympus"', 'window 0: open "Funday 10:00" is not "<Day> HH:MM"', 'window 0: close "Fri 25:00" is not "<Day> HH:MM"'],
    });
  });
});
