import type { BreakerKind, BreakerState, TradingState } from '@mt5/contracts';

/**
 * The persistent risk state of one account. Plain JSON data (no Infinity, no Date, no Map): the
 * service stores it in Postgres after every change and restores it on start, and the same inputs
 * then give the same decisions.
 */
export interface AccountRiskState {
  /** Bumped when the shape changes, so a stored state can be migrated. */
  readonly version: 1;
  readonly account: string;
  readonly trading: TradingStateRecord;
  /** Latest account snapshot seen (older snapshots are ignored). */
  readonly lastSnapshot: SnapshotFigures | null;
  readonly dailyLoss: DailyLossState;
  readonly drawdown: DrawdownState;
  /** Losing streaks by strategy id. */
  readonly losingStreaks: Readonly<Record<string, LosingStreakState>>;
  readonly execution: ExecutionBreakerState;
  readonly killSwitch: KillSwitchState;
}

export interface TradingStateRecord {
  readonly state: TradingState;
  /** Epoch ms of the last change. */
  readonly since: number;
  /** `breaker:DAILY_LOSS`, an admin's identity, or `init`. */
  readonly by: string;
  readonly reason: string;
}

export interface SnapshotFigures {
  readonly time: number;
  readonly balance: number;
  readonly equity: number;
}

export interface DailyLossState {
  readonly status: Extract<BreakerState, 'CLOSED' | 'OPEN'>;
  /** Epoch ms at which the current broker day began; null before the first input. */
  readonly dayStart: number | null;
  /** Balance the day's P&L is measured from. */
  readonly dayStartBalance: number | null;
  readonly trippedAt: number | null;
}

export interface DrawdownState {
  readonly status: Extract<BreakerState, 'CLOSED' | 'OPEN'>;
  /** Highest equity seen since the last admin reset. */
  readonly peakEquity: number | null;
  readonly trippedAt: number | null;
}

export interface LosingStreakState {
  readonly consecutiveLosses: number;
  /** While set and in the future, the strategy may not open positions. */
  readonly blockedUntil: number | null;
}

export interface ExecutionBreakerState {
  readonly status: BreakerState;
  readonly consecutiveFailures: number;
  /** Times it opened without a successful probe in between: the backoff exponent. */
  readonly consecutiveOpens: number;
  readonly openedAt: number | null;
  /** When an OPEN breaker goes HALF_OPEN and lets a probe order through. */
  readonly retryAt: number | null;
  /** Most recent execution results, oldest first (true = success), at most `windowSize`. */
  readonly recentResults: readonly boolean[];
}

export interface KillSwitchState {
  readonly engaged: boolean;
  readonly at: number | null;
  readonly by: string | null;
  readonly reason: string | null;
}

/** Who asks for a change. Only an ADMIN may lift restrictions; an OPERATOR may add them. */
export interface Actor {
  readonly kind: 'ADMIN' | 'OPERATOR';
  readonly id: string;
}

/** Facts and commands the risk state reacts to. Times are epoch ms. */
export type RiskInput =
  | { readonly type: 'ACCOUNT_SNAPSHOT'; readonly time: number; readonly balance: number; readonly equity: number }
  /** A round trip closed; `profit` is net of commission and swap, in account currency. */
  | { readonly type: 'TRADE_CLOSED'; readonly time: number; readonly strategyId: string | null; readonly profit: number }
  /** An order reached the bridge and came back (`ok`), or failed in transport (`ok: false`). Venue rejections are not transport failures. */
  | { readonly type: 'EXECUTION_RESULT'; readonly time: number; readonly ok: boolean }
  /** Time passed (a timer tick): day rollover, cool-down expiry, half-open. */
  | { readonly type: 'CLOCK'; readonly time: number }
  | { readonly type: 'SET_TRADING_STATE'; readonly time: number; readonly to: TradingState; readonly actor: Actor; readonly reason: string }
  | {
      readonly type: 'RESET_BREAKER';
      readonly time: number;
      readonly breaker: BreakerKind;
      readonly actor: Actor;
      readonly reason: string;
      /** LOSING_STREAK only: the strategy to release; absent releases all. */
      readonly strategyId?: string;
    }
  | { readonly type: 'KILL_SWITCH'; readonly time: number; readonly actor: Actor; readonly reason: string };

/** What the risk state emits: plain data for `risk.evt.*` (the app maps figures to decimal strings). */
export type RiskEvent =
  | {
      readonly type: 'TRADING_STATE_CHANGED';
      readonly account: string;
      readonly from: TradingState;
      readonly to: TradingState;
      readonly by: string;
      readonly reason: string;
      readonly time: number;
    }
  | {
      readonly type: 'BREAKER_CHANGED';
      readonly account: string;
      readonly breaker: BreakerKind;
      /** Set for LOSING_STREAK, which is per strategy. */
      readonly strategyId: string | null;
      readonly previousState: BreakerState;
      readonly state: BreakerState;
      readonly figures: Readonly<Record<string, number>>;
      readonly reason: string;
      readonly time: number;
    }
  | { readonly type: 'FLATTEN_ALL_REQUESTED'; readonly account: string; readonly by: string; readonly reason: string; readonly time: number };

/** Why a command was refused: stable codes of the ops area. */
export type RiskCommandErrorCode = 'OPS.FORBIDDEN' | 'OPS.INVALID_REQUEST' | 'OPS.CONFLICT';

/** The result of feeding one input to the risk state. */
export type RiskReduction =
  | { readonly kind: 'applied'; readonly state: AccountRiskState; readonly events: readonly RiskEvent[] }
  | { readonly kind: 'refused'; readonly code: RiskCommandErrorCode; readonly message: string };
