import { ALLOW, deny, type CheckResult } from '../check-result.js';
import { formatMoney, formatTime } from '../format.js';
import type { LosingStreakState, RiskEvent } from '../risk-state.types.js';
import type { BreakerConfig } from './breaker-config.js';
import { breakerChanged, type BreakerStep } from './breaker-step.js';

type Streaks = Readonly<Record<string, LosingStreakState>>;

const fresh: LosingStreakState = { consecutiveLosses: 0, blockedUntil: null };

function isBlocked(streak: LosingStreakState | undefined, time: number): boolean {
  return streak?.blockedUntil != null && time < streak.blockedUntil;
}

/** Time passed: strategies whose cool-down has ended are released. */
export function losingStreakOnTime(streaks: Streaks, time: number, account: string): BreakerStep<Streaks> {
  const events: RiskEvent[] = [];
  const next: Record<string, LosingStreakState> = { ...streaks };
  for (const [strategyId, streak] of Object.entries(streaks)) {
    if (streak.blockedUntil === null || time < streak.blockedUntil) continue;
    next[strategyId] = fresh;
    events.push(breakerChanged(account, 'LOSING_STREAK', 'OPEN', 'CLOSED', { blockedUntil: streak.blockedUntil }, 'cool-down ended', time, strategyId));
  }
  return { state: events.length === 0 ? streaks : next, events, escalation: null };
}

/**
 * A round trip closed. A loss (profit < 0) extends the strategy's streak; anything else ends it.
 * At `maxConsecutiveLosses` the strategy is blocked from opening until `time + cooldownMs`, like
 * a stop-loss guard. Trades that close during a cool-down do not count: the streak starts over
 * when the cool-down ends. Manual trades (no strategy) are not counted.
 */
export function losingStreakOnTradeClosed(
  streaks: Streaks,
  strategyId: string | null,
  profit: number,
  time: number,
  config: BreakerConfig['losingStreak'],
  account: string,
): BreakerStep<Streaks> {
  if (strategyId === null || config.maxConsecutiveLosses === null) return { state: streaks, events: [], escalation: null };
  const streak = streaks[strategyId] ?? fresh;
  if (isBlocked(streak, time)) return { state: streaks, events: [], escalation: null };
  if (profit >= 0) return { state: { ...streaks, [strategyId]: fresh }, events: [], escalation: null };
  const consecutiveLosses = streak.consecutiveLosses + 1;
  if (consecutiveLosses < config.maxConsecutiveLosses) {
    return { state: { ...streaks, [strategyId]: { consecutiveLosses, blockedUntil: null } }, events: [], escalation: null };
  }
  const blockedUntil = time + config.cooldownMs;
  const reason = `${consecutiveLosses} losing trades in a row (last ${formatMoney(profit)}); blocked until ${formatTime(blockedUntil)}`;
  const event = breakerChanged(account, 'LOSING_STREAK', 'CLOSED', 'OPEN', { consecutiveLosses, blockedUntil }, reason, time, strategyId);
  return { state: { ...streaks, [strategyId]: { consecutiveLosses: 0, blockedUntil } }, events: [event], escalation: null };
}

/** An admin release of one strategy, or of all when `strategyId` is absent. */
export function losingStreakReset(streaks: Streaks, strategyId: string | undefined, reason: string, time: number, account: string): BreakerStep<Streaks> {
  const targets = strategyId === undefined ? Object.keys(streaks) : [strategyId];
  const next: Record<string, LosingStreakState> = { ...streaks };
  const events: RiskEvent[] = [];
  for (const id of targets) {
    const streak = streaks[id];
    if (!streak) continue;
    next[id] = fresh;
    if (streak.blockedUntil !== null) {
      events.push(breakerChanged(account, 'LOSING_STREAK', 'OPEN', 'CLOSED', { blockedUntil: streak.blockedUntil }, reason, time, id));
    }
  }
  return { state: next, events, escalation: null };
}

/** Denies an opening order from a strategy in its cool-down (reductions pass). */
export function strategyCooldownCheck(streaks: Streaks, strategyId: string | null, now: number): CheckResult {
  if (strategyId === null) return ALLOW;
  const streak = streaks[strategyId];
  if (!streak || !isBlocked(streak, now)) return ALLOW;
  return deny('RISK.BREAKER_OPEN', { breaker: 'LOSING_STREAK', strategy: strategyId, until: formatTime(streak.blockedUntil ?? now) });
}
