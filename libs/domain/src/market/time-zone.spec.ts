import { describe, expect, it } from '@jest/globals';
import { parseTimeZone, type TimeZone } from './time-zone.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

function zone(name: string): TimeZone {
  const parsed = parseTimeZone(name);
  if (!parsed) throw new Error(`test setup: ${name} should parse`);
  return parsed;
}

/** Offset of an IANA zone at an instant, from the host's Intl data: an independent oracle for the tests only. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function intlOffset(timeZone: string, epochMs: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(epochMs);
  const value = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  return Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute')) - Math.floor(epochMs / 60_000) * 60_000;
}

describe('time zones without the Intl database', () => {
  it('switches EET to summer time at 01:00 UTC on the last Sunday of March and back in October', () => {
    const eet = zone('EET');
    expect(eet.offsetAt(at('2022-03-27T00:59:59Z'))).toBe(2 * HOUR);
    expect(eet.offsetAt(at('2022-03-27T01:00:00Z'))).toBe(3 * HOUR);
    expect(eet.offsetAt(at('2022-10-30T00:59:59Z'))).toBe(3 * HOUR);
    expect(eet.offsetAt(at('2022-10-30T01:00:00Z'))).toBe(2 * HOUR);
  });

  it('switches New York at 02:00 local on the second Sunday of March and the first Sunday of November', () => {
    const newYork = zone('America/New_York');
    expect(newYork.offsetAt(at('2021-03-14T06:59:59Z'))).toBe(-5 * HOUR);
    expect(newYork.offsetAt(at('2021-03-14T07:00:00Z'))).toBe(-4 * HOUR);
    expect(newYork.offsetAt(at('2021-11-07T05:59:59Z'))).toBe(-4 * HOUR);
    expect(newYork.offsetAt(at('2021-11-07T06:00:00Z'))).toBe(-5 * HOUR);
  });

  it('moves the NY+7 broker clock with New York, so its midnight is always 17:00 in New York', () => {
    const broker = zone('NY+7');
    const newYork = zone('America/New_York');
    for (const instant of ['2021-03-14T06:59:00Z', '2021-03-14T07:00:00Z', '2021-03-20T12:00:00Z', '2021-11-07T06:00:00Z', '2022-01-10T00:00:00Z']) {
      expect(broker.offsetAt(at(instant)) - newYork.offsetAt(at(instant))).toBe(7 * HOUR);
    }
  });

  // The EU rule holds since 1996, the US rule since 2007; the oracle is the host's tz database.
  it.each([['EET', 'Europe/Athens', 2000], ['CET', 'Europe/Berlin', 2000], ['WET', 'Europe/London', 2000], ['America/New_York', 'America/New_York', 2007]])(
    'agrees with the IANA database for %s every 30 minutes of every March, April, October and November Sunday up to 2035', (name, iana, from) => {
      const ours = zone(name);
      let checked = 0;
      const mismatches: Array<[instant: string, ours: number, iana: number]> = [];
      for (let year = from; year <= 2035; year++) {
        for (const month of [3, 4, 10, 11]) {
          // Every half hour of every Sunday of the month: all changes of both rules fall on one.
          for (let day = 1; day <= 31; day++) {
            const midnight = Date.UTC(year, month - 1, day);
            if (new Date(midnight).getUTCMonth() !== month - 1 || new Date(midnight).getUTCDay() !== 0) continue;
            for (let t = midnight - 6 * HOUR; t < midnight + 18 * HOUR; t += HOUR / 2) {
              const expected = intlOffset(iana, t);
              if (ours.offsetAt(t) !== expected) mismatches.push([new Date(t).toISOString(), ours.offsetAt(t), expected]);
              checked++;
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(checked).toBeGreaterThan(5_000);
    });

  it('parses fixed offsets and refuses what it does not know', () => {
    expect(zone('+02:00').offsetAt(0)).toBe(2 * HOUR);
    expect(zone('-0330').offsetAt(0)).toBe(-3.5 * HOUR);
    expect(zone('UTC+3').id).toBe('+03:00');
    expect(zone('+00:00').id).toBe('UTC');
    expect(parseTimeZone('Mars/Olympus')).toBeUndefined();
    expect(parseTimeZone('+25:00')).toBeUndefined();
  });

  it('maps a wall-clock time skipped by spring-forward to nothing and a repeated one to the earlier instant', () => {
    const eet = zone('EET');
    expect(eet.localToUtc(at('2022-03-27T03:30:00Z'))).toBeUndefined();
    expect(eet.localToUtc(at('2022-10-30T03:30:00Z'))).toBe(at('2022-10-30T00:30:00Z'));
    expect(eet.localToUtc(at('2022-10-30T04:30:00Z'))).toBe(at('2022-10-30T02:30:00Z'));
  });
});
