import type { Bar } from '../market/index.js';
import { priceProfit } from '../positions/profit.js';
import { sizeByRisk } from '../risk/sizing.js';
import {
  completeSignal,
  flatString,
  signalIdPrefix,
  type Side,
  type SignalDraft,
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

/** One strategy of a run: its configuration (strategy id, risk, lot cap) and a fresh instance. */
export interface SimulatorLane {
  readonly config: BacktestConfig;
  readonly strategy: StrategyInstance;
  /** The full parameter set, recorded in the result. */
  readonly params: object;
}

/** What one strategy of the run collected. */
class LaneRecord {
  readonly signals: StrategySignal[] = [];
  readonly trades: BacktestTrade[] = [];
  readonly skipped: SkippedSignal[] = [];
  readonly equityByTrade: EquityPoint[] = [];
  private source: SignalSource | null = null;
  private idPrefix = '';
  private entries = 0;

  constructor(readonly lane: SimulatorLane) {}

  /** The next trade id of this strategy (1-based, in order of entry). */
  nextId(): number {
    return ++this.entries;
  }

  signalOf(draft: SignalDraft, bar: Bar): StrategySignal {
    const source = this.source;
    if (source === null || source.venue !== bar.venue || source.symbol !== bar.symbol || source.timeframe !== bar.timeframe) {
      const { strategyId } = this.lane.config;
      this.source = { strategyId, strategyKind: this.lane.strategy.kind, venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe };
      this.idPrefix = signalIdPrefix(strategyId, bar.symbol, bar.timeframe);
    }
    const signal = completeSignal(draft, this.source!, this.idPrefix);
    this.signals.push(signal);
    return signal;
  }

  skip(signal: StrategySignal, reason: SkipReason, detail: string): void {
    this.skipped.push({ signalId: signal.signalId, barOpenTime: signal.barOpenTime, side: signal.side, reason, detail: flatString(detail) });
  }
}

interface OpenPosition {
  /** 1-based, in order of entry within its strategy: the trade's id. */
  readonly id: number;
  readonly record: LaneRecord;
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
 * pipeline makes through mt5-simulator (a hedging account) for one or more strategies on one
 * symbol and one account, with risk-guard allowing `maxPositionsPerSymbol` positions on the symbol
 * and no breaker in the way. Each allowed signal opens its own position with its own stop and
 * target; none is reversed. Sizing uses the equity of the account's last snapshot: execution
 * publishes one after each deal, valued (under the lockstep pacing) at the close quote of the bar
 * the deal happened in; signals of one bar are decided in lane order before the snapshot of that
 * bar's entries arrives (it follows the fills by at least 200 ms), so they size on the same
 * equity. Pure and deterministic.
 */
export class SimulatorRun {
  private readonly instrument: BacktestInstrument;
  private readonly accountCurrency: string;
  private readonly tradeFrom: number;
  private readonly maxPositions: number;
  private readonly records: LaneRecord[];
  private readonly equityByDay: EquityPoint[] = [];
  private balance: number;
  private positions: OpenPosition[] = [];
  /** Equity of the account snapshot risk-guard sizes on (see the class comment). */
  private snapshotEquity: number;
  private day = Number.NaN;
  private lastQuote: SimulatorQuote | null = null;
  private lastBarTime = Number.NaN;

  /** `account` gives the account, instrument and costs; each lane its strategy, risk and lot cap. */
  constructor(
    private readonly account: BacktestConfig,
    lanes: readonly SimulatorLane[],
  ) {
    this.instrument = account.instrument;
    this.accountCurrency = account.accountCurrency ?? 'USD';
    this.tradeFrom = account.tradeFrom ?? Number.NEGATIVE_INFINITY;
    this.maxPositions = account.maxPositionsPerSymbol ?? 1;
    this.balance = account.initialBalance;
    this.snapshotEquity = account.initialBalance;
    this.records = lanes.map((lane) => new LaneRecord(lane));
  }

  onBar(bar: Bar): void {
    if (bar.openTime < this.tradeFrom) {
      for (const record of this.records) record.lane.strategy.onBar(bar);
      return;
    }
    const barDay = Math.floor(bar.openTime / DAY_MS);
    if (barDay !== this.day) {
      if (this.day === this.day) this.recordDay();
      this.day = barDay;
    }
    const { digits, point } = this.instrument;
    const spread = (this.account.spreadPoints ?? simulatorSpreadPoints(bar, this.instrument.defaultSpreadPoints)) * point;
    const quote = simulatorCloseQuote(bar, spread, digits);
    if (this.positions.length > 0 && this.closeHits(simulatorPricePath(bar, spread, digits))) this.snapshot(quote);
    this.lastQuote = quote;
    this.lastBarTime = bar.openTime;
    let opened = false;
    for (const record of this.records) {
      const draft = record.lane.strategy.onBar(bar);
      if (draft === null) continue;
      const signal = record.signalOf(draft, bar);
      if (this.positions.length >= this.maxPositions) {
        const held = this.positions.map((position) => `${position.side} since ${new Date(position.entryTime).toISOString()}`).join(', ');
        record.skip(signal, 'POSITION_OPEN', `RISK.MAX_POSITIONS: symbol=${bar.symbol}, open=${this.positions.length}, max=${this.maxPositions} (${held})`);
        continue;
      }
      if (this.open(record, signal, quote)) opened = true;
    }
    if (opened) this.snapshot(quote);
  }

  /** One result per lane, in lane order; balances and equity are the shared account's. */
  finish(bars: readonly Bar[]): BacktestResult[] {
    const last = this.lastQuote;
    if (last !== null) for (const position of [...this.positions]) this.close(position, last.time, position.side === 'BUY' ? last.bid : last.ask, 'END');
    if (this.day === this.day) this.recordDay();
    return this.records.map((record) => assembleResult(bars, { ...this.account, ...record.lane.config }, record.lane.params, {
      strategyKind: record.lane.strategy.kind, signals: record.signals, trades: record.trades, skipped: record.skipped,
      equityByTrade: record.equityByTrade, equityByDay: this.equityByDay, finalBalance: this.balance,
    }));
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

  /** A market order at the bar's close quote, sized and checked as risk-guard and the simulator do; true when it filled. */
  private open(record: LaneRecord, signal: StrategySignal, quote: SimulatorQuote): boolean {
    const { digits, point } = this.instrument;
    const { config } = record.lane;
    const entry = signal.side === 'BUY' ? quote.ask : quote.bid;
    const sizingStop = wirePrice(signal.stopLoss);
    const sized = sizeByRisk({
      instrument: this.instrument, accountCurrency: this.accountCurrency, equity: this.snapshotEquity, riskPercent: config.riskPercent,
      side: signal.side, entryPrice: entry, stopLoss: sizingStop, maxLots: config.maxLots ?? this.instrument.volumeMax,
    });
    if (sized.kind === 'deny') {
      record.skip(signal, sized.code === 'RISK.INVALID_STOPS' ? 'INVALID_STOPS' : 'VOLUME_BELOW_MIN', sized.message);
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
      record.skip(signal, 'INVALID_STOPS', invalid);
      return false;
    }
    const entryCommission = roundCents(this.account.commissionPerLotPerSide * sized.volume);
    this.balance = roundCents(this.balance - entryCommission);
    this.positions.push({
      id: record.nextId(), record, side: signal.side, volume: sized.volume, entryPrice: entry, entryTime: quote.time, stopLoss, takeProfit, entryCommission, signal,
    });
    return true;
  }

  private close(position: OpenPosition, time: number, price: number, reason: ExitReason): void {
    const gross = roundCents(priceProfit(this.instrument, position.side, position.volume, position.entryPrice, price, this.accountCurrency));
    const exitCommission = roundCents(this.account.commissionPerLotPerSide * position.volume);
    this.balance = roundCents(this.balance + gross - exitCommission);
    const commission = roundCents(position.entryCommission + exitCommission);
    position.record.trades.push({
      id: position.id, signalId: position.signal.signalId, side: position.side, volume: position.volume,
      entryTime: position.entryTime, entryPrice: position.entryPrice, stopLoss: position.stopLoss, takeProfit: position.takeProfit,
      exitTime: time, exitPrice: price, exitReason: reason, gross, commission, net: roundCents(gross - commission), balance: this.balance,
    });
    position.record.equityByTrade.push({ time, equity: this.balance });
    this.positions = this.positions.filter((open) => open !== position);
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
