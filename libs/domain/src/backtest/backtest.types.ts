import type { RiskInstrument } from '../risk/risk-instrument.types.js';
import type { Side, StrategySignal } from '../strategies/index.js';
import type { Drawdown, TradeStatistics } from '../performance/index.js';

/** What the backtester needs of an instrument; the instruments library's `InstrumentSpec` satisfies it. */
export interface BacktestInstrument extends RiskInstrument {
  /** Spread used when neither the run nor the bar says otherwise, in points. */
  readonly defaultSpreadPoints: number;
}

export const FillModels = ['next-open', 'mt5-simulator'] as const;
/**
 * How the backtest executes orders:
 * - `next-open` (default): the classic backtest of `fill-model.ts`: fills at the next bar's open,
 *   the stop before the target inside a bar, an opposite signal reverses the position.
 * - `mt5-simulator`: what the pipeline does through mt5-simulator's `driven` feed (see
 *   `simulator-fill-model.ts`): fills at the signal bar's close quote, SL/TP along the
 *   simulator's quote path, one position at a time (no reversal), the simulator's stops check
 *   and money rounding. Used to prove trade-for-trade parity with the pipeline.
 */
export type FillModel = (typeof FillModels)[number];

/** One backtest: a strategy, an instrument, an account and the cost model. */
export interface BacktestConfig {
  /** Configured strategy id; signal ids derive from it. */
  readonly strategyId: string;
  /** Strategy kind from the registry (`ma-crossover`, ...). */
  readonly strategyKind: string;
  /** Strategy parameters (partial; defaults fill the rest). */
  readonly params?: unknown;
  readonly instrument: BacktestInstrument;
  /** Currency of balance and P&L; default `USD`. */
  readonly accountCurrency?: string;
  readonly initialBalance: number;
  /** Percent of balance risked per trade between entry and stop (1 = 1%). */
  readonly riskPercent: number;
  /** Commission per lot per side, in account currency (charged at entry and again at exit). */
  readonly commissionPerLotPerSide: number;
  /** Spread override in points for every bar; otherwise the bar's spread, else the instrument default. */
  readonly spreadPoints?: number;
  /** Per-order lot cap; default the instrument's `volumeMax`. */
  readonly maxLots?: number;
  /** Default `next-open`. */
  readonly fillModel?: FillModel;
  /**
   * `mt5-simulator` only: risk-guard's `MAX_OPEN_POSITIONS_PER_SYMBOL` (default 1). Each allowed
   * signal opens its own position (a hedging account), up to this many; a signal beyond it is
   * skipped as `POSITION_OPEN`.
   */
  readonly maxPositionsPerSymbol?: number;
  /**
   * Epoch ms: bars opening before it only warm the strategy up (no signals recorded, no orders),
   * as the signal-engine warms from stored bars before a replayed range. Default: trade from the
   * first bar.
   */
  readonly tradeFrom?: number;
}

export const ExitReasons = ['SL', 'TP', 'REVERSE', 'END'] as const;
/** Why a position closed: its stop, its target, an opposite signal, or the end of the data. */
export type ExitReason = (typeof ExitReasons)[number];

export const SkipReasons = ['SAME_SIDE', 'NO_NEXT_BAR', 'INVALID_STOPS', 'VOLUME_BELOW_MIN', 'POSITION_OPEN'] as const;
/**
 * Why a signal opened no position: a position on the same side was already open (ignored by
 * design: one position per strategy and symbol, no pyramiding), the data ended before the next
 * bar, the stops were on the wrong side of (or too close to) the fill, the risk budget bought
 * less than the minimum volume, or (`mt5-simulator` model, either side) a position was open:
 * risk-guard with one position per symbol denies it `RISK.MAX_POSITIONS`.
 */
export type SkipReason = (typeof SkipReasons)[number];

/**
 * A round trip, listed in the order trades closed (`id` numbers them in order of entry; the two
 * orders differ only when several positions are open at once). Times: in the `next-open` model
 * the open times of the bars where the fills happened; in `mt5-simulator` the times of the simulator's quotes they filled at (a bar's open
 * time plus 0, 15, 30 or 59 s, see `SIMULATOR_PATH_OFFSETS_MS`).
 */
export interface BacktestTrade {
  /** 1-based, in order of entry. */
  readonly id: number;
  readonly signalId: string;
  readonly side: Side;
  readonly volume: number;
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly stopLoss: number;
  readonly takeProfit: number | null;
  readonly exitTime: number;
  readonly exitPrice: number;
  readonly exitReason: ExitReason;
  /** Price P&L in account currency. */
  readonly gross: number;
  /** Both sides' commission. */
  readonly commission: number;
  /** gross − commission. */
  readonly net: number;
  /** Balance after the exit. */
  readonly balance: number;
}

export interface SkippedSignal {
  readonly signalId: string;
  readonly barOpenTime: number;
  readonly side: Side;
  readonly reason: SkipReason;
  /** Figures behind the reason (the risk check's message for sizing and stops). */
  readonly detail: string;
}

export interface EquityPoint {
  /** Epoch ms: the exit bar's open time (per trade), or the open time of the day's last bar (per day). */
  readonly time: number;
  readonly equity: number;
}

export interface BacktestMetrics extends TradeStatistics {
  readonly initialBalance: number;
  readonly finalBalance: number;
  /** netProfit / initialBalance × 100. */
  readonly returnPercent: number;
  /** Of the closed-trade balance curve (starting balance included). */
  readonly maxDrawdown: Drawdown['money'];
  readonly maxDrawdownPercent: Drawdown['percent'];
  /** Annualised (√252) Sharpe of daily returns of the end-of-day equity; null under two days. */
  readonly sharpeDaily: number | null;
  readonly days: number;
  readonly bars: number;
  readonly signals: number;
  readonly skippedSignals: number;
}

export interface BacktestResult {
  readonly strategyId: string;
  readonly strategyKind: string;
  /** The full, validated parameter set the strategy ran with. */
  readonly params: object;
  readonly symbol: string;
  readonly timeframe: string | null;
  readonly firstBarTime: number | null;
  readonly lastBarTime: number | null;
  readonly signals: readonly StrategySignal[];
  readonly trades: readonly BacktestTrade[];
  readonly skipped: readonly SkippedSignal[];
  /** Starting balance, then the balance after each closed trade. */
  readonly equityByTrade: readonly EquityPoint[];
  /** Equity (balance plus open P&L at the day's last close) at the end of each UTC day with bars. */
  readonly equityByDay: readonly EquityPoint[];
  readonly metrics: BacktestMetrics;
}

/** A backtest that cannot start: the configuration is invalid. Not retryable. */
export class BacktestConfigError extends Error {
  readonly code = 'BACKTEST.INVALID_CONFIG';
  readonly retryable = false;
  constructor(readonly problems: readonly string[]) {
    super(`BACKTEST.INVALID_CONFIG: ${problems.join('; ')}`);
    this.name = 'BacktestConfigError';
  }
}
