import type { DailyLossState, SnapshotFigures } from '../risk-state.types.js';
import type { BreakerConfig } from './breaker-config.js';
import { breakerActor, breakerChanged, THRESHOLD_EPSILON, unchanged, type BreakerStep } from './breaker-step.js';
import { formatMoney } from '../format.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Start (epoch ms) of the broker day containing `time`, for a day that begins at
 * `dayStartMinuteUtc` minutes past UTC midnight (22:00 UTC = 1320: the 17:00 New York close).
 */
export function brokerDayStart(time: number, dayStartMinuteUtc: number): number {
  const offset = dayStartMinuteUtc * 60_000;
  return Math.floor((time - offset) / DAY_MS) * DAY_MS + offset;
}

export const initialDailyLoss: DailyLossState = { status: 'CLOSED', dayStart: null, dayStartBalance: null, trippedAt: null };

/** The loss limit for a day that started at `dayStartBalance`: the smaller of the configured ones, null when none. */
export function dailyLossLimit(config: BreakerConfig['dailyLoss'], dayStartBalance: number): number | null {
  const limits = [config.limitAmount, config.limitPercent === null ? null : (dayStartBalance * config.limitPercent) / 100];
  const set = limits.filter((limit): limit is number => limit !== null);
  return set.length === 0 ? null : Math.min(...set);
}

/**
 * Time passed: on a new broker day the day's P&L starts again from the last known balance, and
 * an open breaker closes (the trading state stays where it is: only an admin moves it back).
 * The last balance before the boundary is used rather than the first after it, so losses booked
 * between the boundary and the next snapshot count against the new day: the safe side.
 */
export function dailyLossOnTime(
  state: DailyLossState,
  time: number,
  last: SnapshotFigures | null,
  config: BreakerConfig['dailyLoss'],
  account: string,
): BreakerStep<DailyLossState> {
  const day = brokerDayStart(time, config.dayStartMinuteUtc);
  if (state.dayStart !== null && day <= state.dayStart) return unchanged(state);
  const next: DailyLossState = { status: 'CLOSED', dayStart: day, dayStartBalance: last?.balance ?? null, trippedAt: null };
  if (state.status !== 'OPEN') return { state: next, events: [], escalation: null };
  const event = breakerChanged(account, 'DAILY_LOSS', 'OPEN', 'CLOSED', { dayStart: day }, 'new broker day', time);
  return { state: next, events: [event], escalation: null };
}

/**
 * A snapshot arrived: the day's P&L is `equity - dayStartBalance`, i.e. realized since the day
 * began (`balance - dayStartBalance`) plus unrealized now (`equity - balance`). A loss at or
 * beyond the limit trips the breaker and moves the account to the configured state.
 * Deposits and withdrawals during the day are not told apart from P&L (an admin reset rebases).
 */
export function dailyLossOnSnapshot(
  state: DailyLossState,
  snapshot: SnapshotFigures,
  config: BreakerConfig['dailyLoss'],
  account: string,
): BreakerStep<DailyLossState> {
  const dayStartBalance = state.dayStartBalance ?? snapshot.balance;
  const current = { ...state, dayStartBalance };
  const limit = dailyLossLimit(config, dayStartBalance);
  const dailyPnl = snapshot.equity - dayStartBalance;
  if (state.status === 'OPEN' || limit === null || -dailyPnl < limit - THRESHOLD_EPSILON) return unchanged(current);
  const realized = snapshot.balance - dayStartBalance;
  const unrealized = snapshot.equity - snapshot.balance;
  const reason =
    `daily P&L ${formatMoney(dailyPnl)} reached the loss limit ${formatMoney(limit)} ` +
    `(realized ${formatMoney(realized)}, unrealized ${formatMoney(unrealized)})`;
  const figures = { dailyPnl, realized, unrealized, limit, dayStartBalance };
  return {
    state: { ...current, status: 'OPEN', trippedAt: snapshot.time },
    events: [breakerChanged(account, 'DAILY_LOSS', 'CLOSED', 'OPEN', figures, reason, snapshot.time)],
    escalation: { to: config.action, by: breakerActor('DAILY_LOSS'), reason },
  };
}

/**
 * An admin reset: the breaker closes and the day's P&L is measured from the current equity, so
 * the account gets a fresh allowance for the rest of the day (without the rebase the next
 * snapshot would trip it again at once).
 */
export function dailyLossReset(
  state: DailyLossState,
  last: SnapshotFigures | null,
  reason: string,
  time: number,
  account: string,
): BreakerStep<DailyLossState> {
  const next: DailyLossState = { ...state, status: 'CLOSED', trippedAt: null, dayStartBalance: last?.equity ?? state.dayStartBalance };
  if (state.status === 'CLOSED') return { state: next, events: [], escalation: null };
  const figures: Record<string, number> = next.dayStartBalance === null ? {} : { dayStartBalance: next.dayStartBalance };
  return { state: next, events: [breakerChanged(account, 'DAILY_LOSS', 'OPEN', 'CLOSED', figures, reason, time)], escalation: null };
}
