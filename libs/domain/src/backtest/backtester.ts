import type { Bar } from '../market/index.js';
import { priceProfit } from '../positions/profit.js';
import { sizeByRisk } from '../risk/sizing.js';
import {
  buildStrategy,
  completeSignal,
  flatString,
  signalIdPrefix,
  type Side,
  type SignalSource,
  type StrategyInstance,
  type StrategySignal,
} from '../strategies/index.js';
import {
  BacktestConfigError,
  FillModels,
  type BacktestConfig,
  type BacktestInstrument,
  type BacktestResult,
  type BacktestTrade,
  type EquityPoint,
  type ExitReason,
  type SkippedSignal,
  type SkipReason,
} from './backtest.types.js';
import { assembleResult } from './backtest-result.js';
import { closeFill, entryFill, stopsProblem } from './fill-model.js';
import { SimulatorRun } from './simulator-backtest.js';

const DAY_MS = 86_400_000;

/** Every problem with a configuration, all at once (empty when it can run). */
export function validateBacktestConfig(config: BacktestConfig): string[] {
  const problems = accountProblems(config);
  const built = buildStrategy(config.strategyKind, config.params);
  if (!built.ok) problems.push(...built.problems.map((problem) => `params.${problem}`));
  return problems;
}

/** Problems with everything but the strategy: account, costs, instrument. */
function accountProblems(config: BacktestConfig): string[] {
  const problems: string[] = [];
  const positive = (name: string, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${name}: must be a positive number, got ${value}`);
  };
  positive('initialBalance', config.initialBalance);
  if (!(config.riskPercent > 0 && config.riskPercent <= 100)) problems.push(`riskPercent: must be in (0, 100], got ${config.riskPercent}`);
  if (!(config.commissionPerLotPerSide >= 0)) problems.push(`commissionPerLotPerSide: must be 0 or more, got ${config.commissionPerLotPerSide}`);
  if (config.spreadPoints !== undefined && !(config.spreadPoints >= 0)) problems.push(`spreadPoints: must be 0 or more, got ${config.spreadPoints}`);
  if (config.maxLots !== undefined) positive('maxLots', config.maxLots);
  if (config.strategyId.length === 0) problems.push('strategyId: must not be empty');
  const { instrument } = config;
  for (const field of ['point', 'tickSize', 'tickValue', 'contractSize', 'volumeMin', 'volumeMax', 'volumeStep'] as const) {
    positive(`instrument.${field}`, instrument[field]);
  }
  if (!(instrument.defaultSpreadPoints >= 0)) problems.push(`instrument.defaultSpreadPoints: must be 0 or more, got ${instrument.defaultSpreadPoints}`);
  if (config.fillModel !== undefined && !FillModels.includes(config.fillModel)) problems.push(`fillModel: must be one of ${FillModels.join(', ')}, got ${String(config.fillModel)}`);
  if (config.tradeFrom !== undefined && !Number.isFinite(config.tradeFrom)) problems.push(`tradeFrom: must be an epoch ms time, got ${config.tradeFrom}`);
  if (config.maxPositionsPerSymbol !== undefined && !(Number.isInteger(config.maxPositionsPerSymbol) && config.maxPositionsPerSymbol >= 1)) {
    problems.push(`maxPositionsPerSymbol: must be an integer of 1 or more, got ${config.maxPositionsPerSymbol}`);
  }
  return problems;
}

/**
 * Runs one strategy over closed bars. With `fillModel: 'mt5-simulator'` it reproduces the
 * pipeline through the simulator (see `simulator-fill-model.ts`). By default (`next-open`), the
 * fill model of `fill-model.ts`: signals on a bar's
 * close fill at the next bar's open; stop-loss and take-profit are checked inside each bar, the
 * stop first when both are touched; commission per lot per side; one position per run (an
 * opposite signal closes the position at the next open and opens the other side; a signal on the
 * side already held is skipped as SAME_SIDE); volume from the risk budget and the stop distance
 * through the same `sizeByRisk` risk-guard uses, rounded down to the step (below the minimum:
 * skipped). Pure and deterministic: the same bars and config give the same result.
 *
 * @throws BacktestConfigError when {@link validateBacktestConfig} finds problems.
 */
export function runBacktest(bars: readonly Bar[], config: BacktestConfig): BacktestResult {
  const problems = validateBacktestConfig(config);
  if (problems.length > 0) throw new BacktestConfigError(problems);
  const built = buildStrategy(config.strategyKind, config.params);
  if (!built.ok) throw new BacktestConfigError(built.problems);
  return runBacktestWith(bars, config, built.instance, built.params);
}

/**
 * {@link runBacktest} with a given, fresh strategy instance (tests, strategies outside the
 * registry); `config.strategyKind` and `config.params` are then only recorded.
 */
export function runBacktestWith(bars: readonly Bar[], config: BacktestConfig, strategy: StrategyInstance, params: object = {}): BacktestResult {
  const problems = accountProblems(config);
  if (problems.length > 0) throw new BacktestConfigError(problems);
  if (config.fillModel === 'mt5-simulator') {
    const run = new SimulatorRun(config, [{ config, strategy, params }]);
    for (let i = 0; i < bars.length; i++) run.onBar(bars[i]);
    return run.finish(bars)[0]!;
  }
  const simulation = new Simulation(config, strategy);
  for (let i = 0; i < bars.length; i++) simulation.onBar(bars[i]);
  return simulation.finish(bars, params);
}

/** Mutable state of one run. The per-bar path allocates nothing unless something happens. */
class Simulation {
  private readonly instrument: BacktestInstrument;
  private readonly accountCurrency: string;
  private readonly spreadOverride: number;
  private readonly commissionPerLot: number;
  private readonly stopsDistance: number;
  /** 10^digits. */
  private readonly priceScale: number;
  readonly signals: StrategySignal[] = [];
  readonly trades: BacktestTrade[] = [];
  readonly skipped: SkippedSignal[] = [];
  readonly equityByTrade: EquityPoint[] = [];
  readonly equityByDay: EquityPoint[] = [];
  private balance: number;
  /** +1 long, -1 short, 0 flat. */
  private direction = 0;
  private volume = 0;
  private entryPrice = 0;
  private entryTime = 0;
  private stopLoss = 0;
  /** NaN when the position has no take-profit. */
  private takeProfit = Number.NaN;
  private entryCommission = 0;
  private positionSignal: StrategySignal | null = null;
  private pending: StrategySignal | null = null;
  private day = Number.NaN;
  private lastClose = Number.NaN;
  private lastSpread = 0;
  private lastTime = Number.NaN;
  private source: SignalSource | null = null;
  private idPrefix = '';
  private readonly tradeFrom: number;

  constructor(
    private readonly config: BacktestConfig,
    private readonly strategy: StrategyInstance,
  ) {
    this.instrument = config.instrument;
    this.accountCurrency = config.accountCurrency ?? 'USD';
    this.spreadOverride = config.spreadPoints ?? Number.NaN;
    this.commissionPerLot = config.commissionPerLotPerSide;
    this.stopsDistance = config.instrument.stopsLevel * config.instrument.point;
    this.priceScale = 10 ** config.instrument.digits;
    this.balance = config.initialBalance;
    this.tradeFrom = config.tradeFrom ?? Number.NEGATIVE_INFINITY;
  }

  onBar(bar: Bar): void {
    if (bar.openTime < this.tradeFrom) {
      this.strategy.onBar(bar);
      return;
    }
    const barDay = Math.floor(bar.openTime / DAY_MS);
    if (barDay !== this.day) {
      if (this.day === this.day) this.recordDay();
      this.day = barDay;
    }
    const spreadPoints = this.spreadOverride === this.spreadOverride ? this.spreadOverride : (bar.spreadPoints ?? this.instrument.defaultSpreadPoints);
    const spread = spreadPoints * this.instrument.point;
    if (this.pending !== null) this.fillPending(bar, spread);
    if (this.direction !== 0) this.checkStops(bar, spread);
    this.lastClose = bar.close;
    this.lastSpread = spread;
    this.lastTime = bar.openTime;
    const draft = this.strategy.onBar(bar);
    if (draft === null) return;
    const signal = completeSignal(draft, this.sourceOf(bar), this.idPrefix);
    this.signals.push(signal);
    if (this.direction === (signal.side === 'BUY' ? 1 : -1)) this.skip(signal, 'SAME_SIDE', 'a position on this side is already open');
    else this.pending = signal;
  }

  finish(bars: readonly Bar[], params: object): BacktestResult {
    const last = bars.length > 0 ? bars[bars.length - 1] : undefined;
    if (this.pending !== null) this.skip(this.pending, 'NO_NEXT_BAR', 'the data ends before the next bar');
    this.pending = null;
    if (last !== undefined && this.direction !== 0) this.close(last.openTime, closeFill(this.side(), last.close, this.lastSpread), 'END');
    if (this.day === this.day) this.recordDay();
    return assembleResult(bars, this.config, params, {
      strategyKind: this.strategy.kind, signals: this.signals, trades: this.trades, skipped: this.skipped,
      equityByTrade: this.equityByTrade, equityByDay: this.equityByDay, finalBalance: this.balance,
    });
  }

  /** The signal source of a bar, rebuilt only when the bar's venue, symbol or timeframe changes. */
  private sourceOf(bar: Bar): SignalSource {
    const source = this.source;
    if (source !== null && source.venue === bar.venue && source.symbol === bar.symbol && source.timeframe === bar.timeframe) return source;
    const next: SignalSource = { strategyId: this.config.strategyId, strategyKind: this.strategy.kind, venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe };
    this.source = next;
    this.idPrefix = signalIdPrefix(next.strategyId, next.symbol, next.timeframe);
    return next;
  }

  private side(): Side {
    return this.direction > 0 ? 'BUY' : 'SELL';
  }

  /** Stop and target inside the bar; the stop wins when both are touched. */
  private checkStops(bar: Bar, spread: number): void {
    const stopLoss = this.stopLoss;
    const takeProfit = this.takeProfit;
    if (this.direction > 0) {
      if (bar.open <= stopLoss) this.close(bar.openTime, bar.open, 'SL');
      else if (bar.low <= stopLoss) this.close(bar.openTime, stopLoss, 'SL');
      else if (bar.high >= takeProfit) this.close(bar.openTime, takeProfit, 'TP');
    } else {
      if (bar.open + spread >= stopLoss) this.close(bar.openTime, bar.open + spread, 'SL');
      else if (bar.high + spread >= stopLoss) this.close(bar.openTime, stopLoss, 'SL');
      else if (bar.low + spread <= takeProfit) this.close(bar.openTime, takeProfit, 'TP');
    }
  }

  private fillPending(bar: Bar, spread: number): void {
    const signal = this.pending!;
    this.pending = null;
    if (this.direction !== 0) this.close(bar.openTime, closeFill(this.side(), bar.open, spread), 'REVERSE');
    const price = entryFill(signal.side, bar.open, spread);
    const stopLoss = this.onTick(signal.stopLoss);
    const takeProfit = signal.takeProfit === null ? null : this.onTick(signal.takeProfit);
    const invalidStops = stopsProblem(signal.side, bar.open, spread, stopLoss, takeProfit, this.stopsDistance);
    if (invalidStops !== null) return this.skip(signal, 'INVALID_STOPS', invalidStops);
    // Certain denials first: if the whole budget buys clearly less than the minimum volume
    // before rounding, sizeByRisk (which only rounds down, with a 1e-9-step tolerance) must
    // refuse too; the 1e-6 margin keeps every borderline case for it to decide. Asking it anyway
    // costs a formatted denial per signal, thousands of them once an account is nearly empty.
    const riskPerLot = -priceProfit(this.instrument, signal.side, 1, price, stopLoss, this.accountCurrency);
    const budget = (this.balance * this.config.riskPercent) / 100;
    if (riskPerLot > 0 && budget < riskPerLot * this.instrument.volumeMin * (1 - 1e-6)) {
      return this.skip(signal, 'VOLUME_BELOW_MIN', `risk budget ${budget.toFixed(2)} < ${this.instrument.volumeMin} lot x ${riskPerLot.toFixed(2)} per lot at the stop`);
    }
    const sized = sizeByRisk({
      instrument: this.instrument,
      accountCurrency: this.accountCurrency,
      equity: this.balance,
      riskPercent: this.config.riskPercent,
      side: signal.side,
      entryPrice: price,
      stopLoss,
      maxLots: this.config.maxLots ?? this.instrument.volumeMax,
    });
    if (sized.kind === 'deny') return this.skip(signal, sized.code === 'RISK.INVALID_STOPS' ? 'INVALID_STOPS' : 'VOLUME_BELOW_MIN', sized.message);
    this.direction = signal.side === 'BUY' ? 1 : -1;
    this.volume = sized.volume;
    this.entryPrice = price;
    this.entryTime = bar.openTime;
    this.stopLoss = stopLoss;
    this.takeProfit = takeProfit ?? Number.NaN;
    this.entryCommission = this.commissionPerLot * sized.volume;
    this.balance -= this.entryCommission;
    this.positionSignal = signal;
  }

  /** A strategy's stop on the instrument's tick grid, as MT5 requires order prices to be. */
  private onTick(price: number): number {
    // ticks × tickSize carries float noise (1.0950000000000002); an integer divided by an exact
    // power of ten is the double nearest the decimal, the same number parsing "1.095" gives.
    const scale = this.priceScale;
    return Math.round(Math.round(price / this.instrument.tickSize) * this.instrument.tickSize * scale) / scale;
  }

  private close(time: number, price: number, reason: ExitReason): void {
    const side = this.side();
    const gross = priceProfit(this.instrument, side, this.volume, this.entryPrice, price, this.accountCurrency);
    const exitCommission = this.commissionPerLot * this.volume;
    const commission = this.entryCommission + exitCommission;
    this.balance += gross - exitCommission;
    const trade: BacktestTrade = {
      id: this.trades.length + 1,
      signalId: this.positionSignal!.signalId,
      side,
      volume: this.volume,
      entryTime: this.entryTime,
      entryPrice: this.entryPrice,
      stopLoss: this.stopLoss,
      takeProfit: this.takeProfit === this.takeProfit ? this.takeProfit : null,
      exitTime: time,
      exitPrice: price,
      exitReason: reason,
      gross,
      commission,
      net: gross - commission,
      balance: this.balance,
    };
    this.trades.push(trade);
    this.equityByTrade.push({ time, equity: this.balance });
    this.direction = 0;
    this.positionSignal = null;
  }

  private skip(signal: StrategySignal, reason: SkipReason, detail: string): void {
    this.skipped.push({ signalId: signal.signalId, barOpenTime: signal.barOpenTime, side: signal.side, reason, detail: flatString(detail) });
  }

  /** End-of-day equity: balance plus the open position valued at the day's last close. */
  private recordDay(): void {
    let equity = this.balance;
    if (this.direction !== 0) {
      const side = this.side();
      equity += priceProfit(this.instrument, side, this.volume, this.entryPrice, closeFill(side, this.lastClose, this.lastSpread), this.accountCurrency);
    }
    this.equityByDay.push({ time: this.lastTime, equity });
  }
}
