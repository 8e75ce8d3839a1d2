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
  /** 1-based, in order of entry: the trade's id. */
  readonly id: number;
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
 * pipeline makes through mt5-simulator (a hedging account) for one strategy on one symbol, with
 * risk-guard allowing `maxPositionsPerSymbol` positions and no breaker in the way. Each allowed
 * signal opens its own position with its own stop and target; none is reversed. Sizing uses the
 * equity of the account's last snapshot: execution publishes one after each deal, valued (under
 * the lockstep pacing) at the close quote of the bar the deal happened in. Pure and deterministic.
 */
export class SimulatorRun {
  private readonly instrument: BacktestInstrument;
  private readonly accountCurrency: string;
  private readonly tradeFrom: number;
  private readonly maxLots: number;
  private readonly maxPositions: number;
  private readonly signals: StrategySignal[] = [];
  private readonly trades: BacktestTrade[] = [];
  private readonly skipped: SkippedSignal[] = [];
  private readonly equityByTrade: EquityPoint[] = [];
  private readonly equityByDay: EquityPoint[] = [];
  private balance: number;
  private positions: OpenPosition[] = [];
  private entries = 0;
  /** Equity of the account snapshot risk-guard sizes on (see the class comment). */
  private snapshotEquity: number;
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
    this.maxPositions = config.maxPositionsPerSymbol ?? 1;
    this.balance = config.initialBalance;
    this.snapshotEquity = config.initialBalance;
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
    const quote = simulatorCloseQuote(bar, spread, digits);
    if (this.positions.length > 0 && this.closeHits(simulatorPricePath(bar, spread, digits))) this.snapshot(quote);
    this.lastQuote = quote;
    this.lastBarTime = bar.openTime;
    const draft = this.strategy.onBar(bar);
    if (draft === null) return;
    const signal = completeSignal(draft, this.sourceOf(bar), this.idPrefix);
    this.signals.push(signal);
    if (this.positions.length >= this.maxPositions) {
      const held = this.positions.map((position) => `${position.side} since ${new Date(position.entryTime).toISOString()}`).join(', ');
      this.skip(signal, 'POSITION_OPEN', `RISK.MAX_POSITIONS: symbol=${bar.symbol}, open=${this.positions.length}, max=${this.maxPositions} (${held})`);
      return;
    }
    if (this.open(signal, quote)) this.snapshot(quote);
  }

  /** Closes the positions the bar's quotes reach, quote by quote, in the order they were opened; true when any closed. */
  private closeHits(path: readonly SimulatorQuote[]): boolean {
    let closed = false;
    for (const quote of path) {
      for (const position of [...this.positions]) {
        const hit = simulatorStopHit(position, quote);
        if (hit === null) continue;
        this.close(position, quote.time, hit.price, hit.reason);
        closed = true;
      }
    }
    return closed;
  }

  /** The account snapshot after the bar's deals: the balance plus each open position's floating profit at the close quote, in cents. */
  private snapshot(quote: SimulatorQuote): void {
    let floating = 0;
    for (const position of this.positions) {
      const price = position.side === 'BUY' ? quote.bid : quote.ask;
      floating += roundCents(priceProfit(this.instrument, position.side, position.volume, position.entryPrice, price, this.accountCurrency));
    }
    this.snapshotEquity = roundCents(this.balance + floating);
  }

  finish(bars: readonly Bar[], params: object): BacktestResult {
    const last = this.lastQuote;
    if (last !== null) for (const position of [...this.positions]) this.close(position, last.time, position.side === 'BUY' ? last.bid : last.ask, 'END');
    if (this.day === this.day) this.recordDay();
    return assembleResult(bars, this.config, params, {
      strategyKind: this.strategy.kind, signals: this.signals, trades: this.trades, skipped: this.skipped,
      equityByTrade: this.equityByTrade, equityByDay: this.equityByDay, finalBalance: this.balance,
    });
  }

  /** A market order at the bar's close quote, sized and checked as risk-guard and the simulator do; true when it filled. */
  private open(signal: StrategySignal, quote: SimulatorQuote): boolean {
    const { digits, point } = this.instrument;
    const entry = signal.side === 'BUY' ? quote.ask : quote.bid;
    const sizingStop = wirePrice(signal.stopLoss);
    const sized = sizeByRisk({
      instrument: this.instrument, accountCurrency: this.accountCurrency, equity: this.snapshotEquity, riskPercent: this.config.riskPercent,
      side: signal.side, entryPrice: entry, stopLoss: sizingStop, maxLots: this.maxLots,
    });
    if (sized.kind === 'deny') {
      this.skip(signal, sized.code === 'RISK.INVALID_STOPS' ? 'INVALID_STOPS' : 'VOLUME_BELOW_MIN', sized.message);
      return false;
    }
    // risk-guard's own check (whole points from the closing price, on the prices it sized with;
    // its catalogue's stops level is 0 for the forex symbols), then the simulator's.
    const riskTakeProfit = signal.takeProfit === null ? null : wirePrice(signal.takeProfit);
    const stopLoss = orderPrice(signal.stopLoss, digits);
    const takeProfit = signal.takeProfit === null ? null : orderPrice(signal.takeProfit, digits);
    const invalid = simulatorStopsProblem(signal.side, quote, sizingStop, riskTakeProfit, { point, stopsLevel: 0 })
      ?? simulatorStopsProblem(signal.side, quote, stopLoss, takeProfit, this.instrument);
    if (invalid !== null) {
      this.skip(signal, 'INVALID_STOPS', invalid);
      return false;
    }
    const entryCommission = roundCents(this.config.commissionPerLotPerSide * sized.volume);
    this.balance = roundCents(this.balance - entryCommission);
    this.positions.push({ id: ++this.entries, side: signal.side, volume: sized.volume, entryPrice: entry, entryTime: quote.time, stopLoss, takeProfit, entryCommission, signal });
    return true;
  }

  private close(position: OpenPosition, time: number, price: number, reason: ExitReason): void {
    const gross = roundCents(priceProfit(this.instrument, position.side, position.volume, position.entryPrice, price, this.accountCurrency));
    const exitCommission = roundCents(this.config.commissionPerLotPerSide * position.volume);
    this.balance = roundCents(this.balance + gross - exitCommission);
    const commission = roundCents(position.entryCommission + exitCommission);
    this.trades.push({
      id: position.id, signalId: position.signal.signalId, side: position.side, volume: position.volume,
      entryTime: position.entryTime, entryPrice: position.entryPrice, stopLoss: position.stopLoss, takeProfit: position.takeProfit,
      exitTime: time, exitPrice: price, exitReason: reason, gross, commission, net: roundCents(gross - commission), balance: this.balance,
    });
    this.equityByTrade.push({ time, equity: this.balance });
    this.positions = this.positions.filter((open) => open !== position);
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

  /** End-of-day equity: the balance plus the open positions valued at the day's last close quote. */
  private recordDay(): void {
    let equity = this.balance;
    const quote = this.lastQuote;
    if (quote !== null) {
      for (const position of this.positions) {
        const price = position.side === 'BUY' ? quote.bid : quote.ask;
        equity += priceProfit(this.instrument, position.side, position.volume, position.entryPrice, price, this.accountCurrency);
      }
    }
    this.equityByDay.push({ time: this.lastBarTime, equity });
  }
}
