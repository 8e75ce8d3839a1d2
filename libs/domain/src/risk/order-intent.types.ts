import type { DecisionSource, MarginMode, OrderType, Side } from '@mt5/contracts';
import type { Quote } from '../positions/instrument-math.types.js';
import type { Position } from '../positions/position.types.js';
import type { AccountRiskState } from './risk-state.types.js';
import type { RiskInstrument } from './risk-instrument.types.js';
import type { RateLimitAnswer } from './token-bucket.js';

/**
 * An order idea as risk sees it, from a signal or an operator, with numbers already parsed from
 * the wire's decimal strings (the app's mapper does that).
 */
export interface RiskIntent {
  /** The signal id or manual intent id: the key for duplicate detection. */
  readonly intentId: string;
  readonly source: DecisionSource;
  /** The strategy behind a signal; null for manual intents. */
  readonly strategyId: string | null;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Lots asked for; null lets risk size the order from the stop. */
  readonly volume: number | null;
  /** Order price of a LIMIT or STOP order; null for MARKET. */
  readonly price: number | null;
  readonly stopLoss: number | null;
  readonly takeProfit: number | null;
  /** Set when the intent closes (part of) this open position rather than opening exposure. */
  readonly closesPositionId: string | null;
}

/** The account facts an order is vetted against, from the latest account snapshot. */
export interface AccountFacts {
  readonly currency: string;
  readonly balance: number;
  readonly equity: number;
  /** Margin in use. */
  readonly margin: number;
  readonly freeMargin: number;
  /** Account leverage (100 for 1:100); snapshots do not carry it, account info does. */
  readonly leverage: number;
  readonly marginMode: MarginMode;
  /** Epoch ms of the snapshot. */
  readonly time: number;
}

/**
 * Everything an order decision depends on besides the intent and the config, as plain data, so a
 * decision can be replayed from what was stored with it.
 */
export interface RiskContext {
  /** Epoch ms of the decision. */
  readonly now: number;
  /** Null when no snapshot has arrived yet (RISK.NO_ACCOUNT_SNAPSHOT). */
  readonly account: AccountFacts | null;
  /** Specs by symbol; the intent's symbol must be here, other entries value open positions for exposure. */
  readonly instruments: Readonly<Record<string, RiskInstrument | undefined>>;
  /** Last quotes by symbol. */
  readonly quotes: Readonly<Record<string, Quote | undefined>>;
  /** Whether the intent symbol's trade session is open at `now` (`isInSession(spec, now)`). */
  readonly sessionOpen: boolean;
  /** Open positions of the account, all symbols. */
  readonly positions: readonly Position[];
  /** Trading state and breakers of the account. */
  readonly riskState: AccountRiskState;
  /** Id of the decision already taken on this intent id, if any. */
  readonly previousDecisionId: string | null;
  /** The rate limiter's answer for this order (a token taken from the account's bucket), or `unavailable`. */
  readonly rateLimit: RateLimitAnswer;
}

/** Whether an order adds exposure or only takes it off. */
export const OrderEffects = ['OPEN', 'REDUCE'] as const;
export type OrderEffect = (typeof OrderEffects)[number];
