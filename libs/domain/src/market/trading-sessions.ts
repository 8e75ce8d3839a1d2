/**
 * Weekly trading windows of an instrument. Each window opens at `open` and closes at `close`
 * (exclusive), written as `"<Day> HH:MM"` with days `Sun`..`Sat`, on the clock of `timeZone`.
 *
 * `timeZone` defaults to `UTC`. A DST-following zone keeps a session right all year with one
 * definition: FX trades `Sun 17:00` → `Fri 17:00` New York time, which is 22:00 UTC in winter and
 * 21:00 UTC in summer; in fixed UTC it would need two calendars.
 *
 * A window whose close is not after its open wraps over the week end; `open === close` is the
 * whole week (crypto).
 */
export interface TradingSessions {
  /** `UTC`, `+02:00`, or a DST rule name accepted by `parseTimeZone` (e.g. `America/New_York`). */
  readonly timeZone?: string;
  readonly windows: readonly SessionWindow[];
}

export interface SessionWindow {
  /** `"Sun 17:00"`. */
  readonly open: string;
  /** `"Fri 17:00"`, exclusive. */
  readonly close: string;
}
