import type { DecisionOutcome, DecisionSource, ErrorContext, OrderType, Side, TradingState } from '@mt5/contracts';
import type { RiskCheckName, RiskDenialCode } from '@mt5/domain/risk';

/** What was asked, in lots and prices (numbers), as the decision saw it before sizing. */
export interface AskedOrder {
  readonly account: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly volume: number | null;
  readonly price: number | null;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** Set when the intent closes this position (a close-position command goes out). */
  readonly closesPositionId: string | null;
}

/**
 * One risk decision as risk-guard stores and publishes it. `context` holds the denial's
 * `key=value` facts, or for an allow the sizing figures; `inputs` what the checks saw, so the
 * decision can be explained (and replayed) later.
 */
export interface DecisionRecord {
  readonly decisionId: string;
  readonly source: DecisionSource;
  /** Signal id or manual intent id. */
  readonly intentId: string;
  readonly strategyId: string | null;
  readonly asked: AskedOrder;
  readonly outcome: DecisionOutcome;
  readonly code: RiskDenialCode | null;
  readonly context: ErrorContext;
  readonly message: string;
  readonly checks: readonly RiskCheckName[];
  /** For an allow: the order that goes out. */
  readonly clientOrderId: string | null;
  readonly volume: number | null;
  /** Price the order was sized and vetted at (null for reductions). */
  readonly price: number | null;
  readonly magic: number | null;
  /** Digits of the instrument's prices, when it is known. */
  readonly digits: number | null;
  readonly tradingState: TradingState;
  readonly decidedAt: number;
  readonly correlationId: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}
