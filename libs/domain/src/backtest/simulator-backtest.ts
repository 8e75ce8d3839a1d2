import type { Bar } from '../market/index.js';
import { priceProfit } from '../positions/profit.js';
import { sizeByRisk } from '../risk/sizing.js';
import {
  completeSignal,
  flatString,
  signalIdPrefix,
  type Side,
  type SignalSource,
  type StrategyInstance,
  type StrategySignal,
} from '../strategies/index.js';
import { assembleResult } from './backtest-result.js';
import type { BacktestConfig, BacktestInstrument, BacktestResult, BacktestTrade, EquityPoint, ExitReason, SkippedSignal, SkipReason } from './backtest.types.js';
import {
  orderPrice,
  roundCents,
  simulatorCloseQuote,
  simulatorPricePath,
  simulatorSpreadPoints,
  simulatorStopHit,
  simulatorStopsProblem,
  wirePrice,
  type SimulatorQuote,
} from './simulator-fill-model.js';

const DAY_MS = 86_400_000;

interface OpenPosition {
  readonly side: Side;
  readonly volume: number;
  readonly entryPrice: number;
  readonly entryTime: number;
  readonly stopLoss: number;
  readonly takeProfit: number | null;
  readonly entryCommission: number;
  readonly signal: StrategySignal;
}

/**
 * One run of the `mt5-simulator` fill model (rules in `simulator-fill-model.ts`): the trades the
 * pipeline makes through mt5-simulator for one strategy on one symbol, with risk-guard allowing
 * one position per symbol and no breaker in the way. Pure and deterministic.
 */
export class SimulatorRun {
  private readonly instrument: BacktestInstrument;
  private readonly accountCurrency: string;
  private readonly tradeFrom: number;
  private readonly maxLots: number;
  private readonly signals: StrategySignal[] = [];
  private readonly trades: BacktestTrade[] = [];
  private readonly skipped: SkippedSignal[] = [];
  private readonly equityByTrade: EquityPoint[] = [];
  private readonly equityByDay: EquityPoint[] = [];
  private balance: number;
  private position: OpenPosition | null = null;
  private day = Number.NaN;
  private lastQuote: SimulatorQuote | null = null;
  private lastBarTime = Number.NaN;
  private source: SignalSource | null = null;
  private idPrefix = '';

  constructor(
    private readonly config: BacktestConfig,
    private readonly strategy: StrategyInstance,
  ) {
    this.instrument = config.instrument;
    this.accountCurrency = config.accountCurrency ?? 'USD';
    this.tradeFrom = config.tradeFrom ?? Number.NEGATIVE_INFINITY;
    this.maxLots = config.maxLots ?? config.instrument.volumeMax;
    this.balance = config.initialBalance;
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
    const { digits, point } = this.instrument;
    const spread = (this.config.spreadPoints ?? simulatorSpreadPoints(bar, this.instrument.defaultSpreadPoints)) * point;
    if (this.position !== null) {
      for (const quote of simulatorPricePath(bar, spread, digits)) {
        const hit = simulatorStopHit(this.position, quote);
        if (hit === null) continue;
        this.close(quote.time, hit.price, hit.reason);
        break;
      }
    }
    const quote = simulatorCloseQuote(bar, spread, digits);
    this.lastQuote = quote;
    this.lastBarTime = bar.openTime;
    const draft = this.strategy.onBar(bar);
    if (draft === null) return;
    const signal = completeSignal(draft, this.sourceOf(bar), this.idPrefix);
    this.signals.push(signal);
    if (this.position !== null) {
      this.skip(signal, 'POSITION_OPEN', `RISK.MAX_POSITIONS: symbol=${bar.symbol}, open=1, max=1 (${this.position.side} since ${new Date(this.position.entryTime).toISOString()})`);
      return;
    }
    this.open(signal, quote);
  }

  finish(bars: readonly Bar[], params: object): BacktestResult {
    const position = this.position;
    if (position !== null && this.lastQuote !== null) {
      this.close(this.lastQuote.time, position.side === 'BUY' ? this.lastQuote.bid : this.lastQuote.ask, 'END');
    }
    if (this.day === this.day) this.recordDay();
    return assembleResult(bars, this.config, params, {
      strategyKind: this.strategy.kind, signals: this.signals, trades: this.trades, skipped: this.skipped,
      equityByTrade: this.equityByTrade, equityByDay: this.equityByDay, finalBalance: this.balance,
    });
  }

  /** A market order at the bar's close quote, sized and checked as risk-guard and the simulator do. */
  private open(signal: StrategySignal, quote: SimulatorQuote): void {
    const { digits, point } = this.instrument;
    const entry = signal.side === 'BUY' ? quote.ask : quote.bid;
    const sizingStop = wirePrice(signal.stopLoss);
    const sized = sizeByRisk({
      instrument: this.instrument, accountCurrency: this.accountCurrency, equity: this.balance, riskPercent: this.config.riskPercent,
      side: signal.side, entryPrice: entry, stopLoss: sizingStop, maxLots: this.maxLots,
    });
    if (sized.kind === 'deny') return this.skip(signal, sized.code === 'RISK.INVALID_STOPS' ? 'INVALID_STOPS' : 'VOLUME_BELOW_MIN', sized.message);
    // risk-guard's own check (whole points from the closing price, on the prices it sized with;
    // its catalogue's stops level is 0 for the forex symbols), then the simulator's.
    const riskTakeProfit = signal.takeProfit === null ? null : wirePrice(signal.takeProfit);
    const stopLoss = orderPrice(signal.stopLoss, digits);
    const takeProfit = signal.takeProfit === null ? null : orderPrice(signal.takeProfit, digits);
    const invalid = simulatorStopsProblem(signal.side, quote, sizingStop, riskTakeProfit, { point, stopsLevel: 0 })
      ?? simulatorStopsProblem(signal.side, quote, stopLoss, takeProfit, this.instrument);
    if (invalid !== null) return this.skip(signal, 'INVALID_STOPS', invalid);
    const entryCommission = roundCents(this.config.commissionPerLotPerSide * sized.volume);
    this.balance = roundCents(this.balance - entryCommission);
    this.position = { side: signal.side, volume: sized.volume, entryPrice: entry, entryTime: quote.time, stopLoss, takeProfit, entryCommission, signal };
  }

  private close(time: number, price: number, reason: ExitReason): void {
    const position = this.position!;
    const gross = roundCents(priceProfit(this.instrument, position.side, position.volume, position.entryPrice, price, this.accountCurrency));
    const exitCommission = roundCents(this.config.commissionPerLotPerSide * position.volume);
    this.balance = roundCents(this.balance + gross - exitCommission);
    const commission = roundCents(position.entryCommission + exitCommission);
    this.trades.push({
      id: this.trades.length + 1, signalId: position.signal.signalId, side: position.side, volume: position.volume,
      entryTime: position.entryTime, entryPrice: position.entryPrice, stopLoss: position.stopLoss, takeProfit: position.takeProfit,
      exitTime: time, exitPrice: price, exitReason: reason, gross, commission, net: roundCents(gross - commission), balance: this.balance,
    });
    this.equityByTrade.push({ time, equity: this.balance });
    this.position = null;
  }

  private sourceOf(bar: Bar): SignalSource {
    const source = this.source;
    if (source !== null && source.venue === bar.venue && source.symbol === bar.symbol && source.timeframe === bar.timeframe) return source;
    const next: SignalSource = { strategyId: this.config.strategyId, strategyKind: this.strategy.kind, venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe };
    this.source = next;
    this.idPrefix = signalIdPrefix(next.strategyId, next.symbol, next.timeframe);
    return next;
  }

  private skip(signal: StrategySignal, reason: SkipReason, detail: string): void {
    this.skipped.push({ signalId: signal.signalId, barOpenTime: signal.barOpenTime, side: signal.side, reason, detail: flatString(detail) });
  }

  /** End-of-day equity: the balance plus the open position valued at the day's last close quote. */
  private recordDay(): void {
    let equity = this.balance;
    const position = this.position;
    if (position !== null && this.lastQuote !== null) {
      const price = position.side === 'BUY' ? this.lastQuote.bid : this.lastQuote.ask;
      equity += priceProfit(this.instrument, position.side, position.volume, position.entryPrice, price, this.accountCurrency);
    }
    this.equityByDay.push({ time: this.lastBarTime, equity });
  }
}
