import type { BreakerKind, BreakerState, DecisionOutcome } from '@mt5/contracts';
import {
  dailyLossLimit,
  drawdownPercent,
  executionHealthScore,
  type BreakerConfig,
} from '@mt5/domain/risk';
import type { AccountWorld } from '../account-world.js';
import type { DecisionRecord } from '../decide-order/decision-record.js';
import type { RiskStore } from '../risk-store.port.js';

/** Money and percentages as decimal strings (the wire never carries them as floats). */
const money = (value: number | null) => (value === null ? null : value.toFixed(2));
const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

export interface BreakerView {
  readonly breaker: BreakerKind;
  readonly state: BreakerState;
  /** The numbers behind the state, by breaker. */
  readonly figures: Readonly<Record<string, unknown>>;
}

/** Read side for the ops gateway: state, breakers with their figures, recent decisions. */
export class RiskQueriesUseCase {
  constructor(private readonly store: RiskStore, private readonly breakers: BreakerConfig) {}

  async state(account: string) {
    const world = await this.require(account);
    const { risk, context } = world;
    return {
      account,
      tradingState: { ...risk.trading, since: iso(risk.trading.since) },
      killSwitch: { ...risk.killSwitch, at: iso(risk.killSwitch.at) },
      snapshot: context.facts && {
        currency: context.facts.currency, balance: money(context.facts.balance), equity: money(context.facts.equity),
        margin: money(context.facts.margin), freeMargin: money(context.facts.freeMargin), marginMode: context.facts.marginMode, time: iso(context.facts.time),
      },
      equityPeak: money(risk.drawdown.peakEquity),
      dayStartBalance: money(risk.dailyLoss.dayStartBalance),
      positions: context.positions.map((position) => ({
        positionId: position.positionId, symbol: position.symbol, side: position.side, volume: String(position.volume),
        openPrice: String(position.openPrice), strategyId: context.positionMeta[position.positionId]?.strategyId ?? null,
      })),
    };
  }

  async breakerViews(account: string): Promise<{ account: string; breakers: BreakerView[] }> {
    return { account, breakers: breakerViews(await this.require(account), this.breakers) };
  }

  async decisions(filter: { account?: string; outcome?: DecisionOutcome; limit: number; before?: string }): Promise<{ items: DecisionRecord[]; nextCursor: string | null }> {
    const page = await this.store.listDecisions(filter);
    return { items: [...page.items], nextCursor: page.nextCursor };
  }

  private async require(account: string): Promise<AccountWorld> {
    const world = await this.store.read(account);
    if (!world) throw Object.assign(new Error(`risk-guard has no state for account ${account}`), { code: 'OPS.NOT_FOUND', retryable: false });
    return world;
  }
}

/** Every breaker of the account with the figures an operator needs to judge it. */
export function breakerViews(world: AccountWorld, config: BreakerConfig): BreakerView[] {
  const { dailyLoss, drawdown, losingStreaks, execution, killSwitch, lastSnapshot } = world.risk;
  const equity = lastSnapshot?.equity ?? null;
  const limit = dailyLoss.dayStartBalance === null ? null : dailyLossLimit(config.dailyLoss, dailyLoss.dayStartBalance);
  const strategies = Object.entries(losingStreaks).map(([strategyId, streak]) => ({ strategyId, consecutiveLosses: streak.consecutiveLosses, blockedUntil: iso(streak.blockedUntil) }));
  return [
    {
      breaker: 'DAILY_LOSS', state: dailyLoss.status,
      figures: {
        dayStart: iso(dailyLoss.dayStart), dayStartBalance: money(dailyLoss.dayStartBalance), equity: money(equity),
        dailyPnl: money(equity === null || dailyLoss.dayStartBalance === null ? null : equity - dailyLoss.dayStartBalance),
        limit: money(limit), action: config.dailyLoss.action, trippedAt: iso(dailyLoss.trippedAt),
      },
    },
    {
      breaker: 'MAX_DRAWDOWN', state: drawdown.status,
      figures: {
        peakEquity: money(drawdown.peakEquity), equity: money(equity),
        drawdownPercent: money(drawdown.peakEquity === null || equity === null ? null : drawdownPercent(drawdown.peakEquity, equity)),
        limitPercent: config.drawdown.maxPercent === null ? null : money(config.drawdown.maxPercent), trippedAt: iso(drawdown.trippedAt),
      },
    },
    {
      breaker: 'LOSING_STREAK', state: strategies.some((strategy) => strategy.blockedUntil !== null) ? 'OPEN' : 'CLOSED',
      figures: { maxConsecutiveLosses: config.losingStreak.maxConsecutiveLosses, cooldownMs: config.losingStreak.cooldownMs, strategies },
    },
    {
      breaker: 'EXECUTION_FAILURES', state: execution.status,
      figures: {
        consecutiveFailures: execution.consecutiveFailures, failureThreshold: config.execution.failureThreshold, consecutiveOpens: execution.consecutiveOpens,
        openedAt: iso(execution.openedAt), retryAt: iso(execution.retryAt), healthScore: executionHealthScore(execution), recentResults: execution.recentResults.length,
      },
    },
    { breaker: 'KILL_SWITCH', state: killSwitch.engaged ? 'OPEN' : 'CLOSED', figures: { engaged: killSwitch.engaged, at: iso(killSwitch.at), by: killSwitch.by, reason: killSwitch.reason } },
  ];
}
