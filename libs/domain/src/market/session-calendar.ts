import { MS_PER_DAY, MS_PER_MINUTE, weekdayFromDays } from './civil-time.js';
import { parseTimeZone, type TimeZone } from './time-zone.js';
import type { TradingSessions } from './trading-sessions.js';

const MINUTES_PER_WEEK = 7 * 1440;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Compiled {@link TradingSessions}: answers "is the market open at this instant?" quickly. */
export interface SessionCalendar {
  readonly zone: TimeZone;
  /** Windows as `[open, close)` minutes of the week (0 = Sunday 00:00) on the zone's clock; close ≤ open wraps. */
  readonly windows: readonly (readonly [open: number, close: number])[];
  isOpen(epochMs: number): boolean;
}

export type SessionCompilation =
  | { readonly ok: true; readonly calendar: SessionCalendar }
  | { readonly ok: false; readonly problems: readonly string[] };

/** `"Fri 17:00"` → minute of the week, or undefined. `24:00` is accepted as the end of a day. */
function minuteOfWeek(text: string): number | undefined {
  const match = /^([A-Za-z]{3})\s+(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const day = DAY_NAMES.indexOf(match[1]!.toLowerCase() as (typeof DAY_NAMES)[number]);
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  if (day < 0 || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return (day * 1440 + hours * 60 + minutes) % MINUTES_PER_WEEK;
}

/** Minute of the week (0 = Sunday 00:00) of an instant on a clock. */
export function minuteOfWeekAt(zone: TimeZone, epochMs: number): number {
  const local = epochMs + zone.offsetAt(epochMs);
  const days = Math.floor(local / MS_PER_DAY);
  return weekdayFromDays(days) * 1440 + Math.floor((local - days * MS_PER_DAY) / MS_PER_MINUTE);
}

function inWindow(minute: number, [open, close]: readonly [number, number]): boolean {
  if (open === close) return true;
  return open < close ? minute >= open && minute < close : minute >= open || minute < close;
}

/** Validates and compiles sessions; every problem is listed, not just the first. */
export function compileSessions(sessions: TradingSessions): SessionCompilation {
  const problems: string[] = [];
  const zone = parseTimeZone(sessions.timeZone ?? 'UTC');
  if (!zone) problems.push(`unknown session time zone "${sessions.timeZone}"`);
  if (!Array.isArray(sessions.windows) || sessions.windows.length === 0) problems.push('sessions need at least one window');
  const windows: [number, number][] = [];
  (Array.isArray(sessions.windows) ? sessions.windows : []).forEach((window, index) => {
    const open = typeof window?.open === 'string' ? minuteOfWeek(window.open) : undefined;
    const close = typeof window?.close === 'string' ? minuteOfWeek(window.close) : undefined;
    if (open === undefined) problems.push(`window ${index}: open ${JSON.stringify(window?.open)} is not "<Day> HH:MM"`);
    if (close === undefined) problems.push(`window ${index}: close ${JSON.stringify(window?.close)} is not "<Day> HH:MM"`);
    if (open !== undefined && close !== undefined) windows.push([open, close]);
  });
  if (problems.length > 0 || !zone) return { ok: false, problems };
  const isOpen = (epochMs: number): boolean => {
    const minute = minuteOfWeekAt(zone, epochMs);
    for (const window of windows) if (inWindow(minute, window)) return true;
    return false;
  };
  return { ok: true, calendar: { zone, windows, isOpen } };
}

/** {@link compileSessions} for sessions already validated (a loaded catalogue); throws otherwise. */
export function sessionCalendar(sessions: TradingSessions): SessionCalendar {
  const compiled = compileSessions(sessions);
  if (!compiled.ok) throw new RangeError(`invalid trading sessions: ${compiled.problems.join('; ')}`);
  return compiled.calendar;
}

/** True when the market is open at any minute of `[from, to)`. */
export function isOpenDuring(calendar: SessionCalendar, from: number, to: number): boolean {
  for (let t = from; t < to; t += MS_PER_MINUTE) if (calendar.isOpen(t)) return true;
  return false;
}
