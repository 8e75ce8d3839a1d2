// Paces a replay so that the pipeline decides every signal on the same state the backtester's
// `mt5-simulator` model assumes (see docs/signals.md, "Parity with the pipeline"):
//
// - Like the run command's lockstep, the replay is cut before each bar where something happens
//   (a signal, or a stop/target the backtest expects) and the pipeline drains between cuts, so an
//   order fills at its signal bar's close quote.
// - On a signal bar where a position may open, the signal-engine process is paused (SIGSTOP)
//   while the bar is replayed, and resumed (SIGCONT) only once the simulator's quotes of that bar
//   are in market-data's cache and any exit on that bar has reached risk-guard (the deal, the
//   position sync and the account snapshot after it). Without the pause the signal races them:
//   risk-guard would size on the previous bar's quote, or still count the position just closed.
// - After each deal, it waits for the account snapshot execution publishes after its position sync
//   (debounced 200 ms) and for risk-guard to consume it: the next decision sizes on that equity.
//
// The forecast (expected deal counts) only paces the waits; the results are read from the
// pipeline afterwards and compared, so a wrong forecast makes the comparison fail, never pass.
import type { Subscription } from '@nats-io/nats-core';
import { Consumers, Subjects } from '@mt5/contracts';
import type { BacktestResult } from '@mt5/domain/backtest';
import type { NatsHandles } from '@mt5/infra/nats';
import { waitFor } from '@mt5/testing';
import { tradingConsumers, waitForDrain, type OrderFlowTracker } from '../../demo/pipeline-watch.js';

const MINUTE = 60_000;
const CLOSE_QUOTE_OFFSET_MS = 59_000;

/** A bar where something is expected to happen. */
export interface PlanStep {
  readonly bar: number;
  /** A signal on this bar may open a position (the backtest is flat when it is decided). */
  readonly hold: boolean;
  /** Deals the account should have once this bar's exits are booked (before its signal's entry). */
  readonly dealsBeforeSignal: number;
  /** ... and once its signal's order has filled. */
  readonly dealsAfter: number;
  /** Signals of the run up to and with this bar. */
  readonly signalsUpTo: number;
}

/** The bars of [from, to) with a signal or an SL/TP exit in the backtests (one per strategy), with the deals expected by then. */
export function parityPlan(results: readonly BacktestResult[], from: number, to: number): PlanStep[] {
  const result = { signals: results.flatMap((one) => one.signals), skipped: results.flatMap((one) => one.skipped), trades: results.flatMap((one) => one.trades) };
  const barOf = (time: number) => Math.floor(time / MINUTE) * MINUTE;
  const entries = result.trades.map((trade) => barOf(trade.entryTime));
  const exits = result.trades.filter((trade) => trade.exitReason === 'SL' || trade.exitReason === 'TP').map((trade) => barOf(trade.exitTime));
  const positionOpen = new Set(result.skipped.filter((skip) => skip.reason === 'POSITION_OPEN').map((skip) => skip.signalId));
  const holdBars = new Set(result.signals.filter((signal) => !positionOpen.has(signal.signalId)).map((signal) => signal.barOpenTime));
  const bars = [...new Set([...result.signals.map((signal) => signal.barOpenTime), ...exits])].filter((bar) => bar >= from && bar < to).sort((a, b) => a - b);
  const upTo = (times: number[], bar: number, inclusive: boolean) => times.filter((time) => (inclusive ? time <= bar : time < bar)).length;
  return bars.map((bar) => ({
    bar,
    hold: holdBars.has(bar),
    dealsBeforeSignal: upTo(entries, bar, false) + upTo(exits, bar, true),
    dealsAfter: upTo(entries, bar, true) + upTo(exits, bar, true),
    signalsUpTo: result.signals.filter((signal) => signal.barOpenTime <= bar).length,
  }));
}

/** Follows the account's deals and account snapshots, and the symbol's ticks, on core NATS. */
export class ExecutionWatch {
  deals = 0;
  private sequence = 0;
  private lastDeal = 0;
  private lastSnapshot = 0;
  lastTickTime = 0;
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly nats: NatsHandles, private readonly account: string, private readonly venue: string, private readonly symbol: string) {}

  start(): void {
    const decoder = new TextDecoder();
    this.subscriptions.push(this.nats.nc.subscribe(Subjects.executionEvent(this.account, 'deal'), { callback: () => {
      this.deals++;
      this.lastDeal = ++this.sequence;
    } }));
    this.subscriptions.push(this.nats.nc.subscribe(Subjects.executionEvent(this.account, 'account'), { callback: () => void (this.lastSnapshot = ++this.sequence) }));
    this.subscriptions.push(this.nats.nc.subscribe(Subjects.tick(this.venue, this.symbol), { callback: (_error, msg) => {
      try {
        const time = Date.parse((JSON.parse(decoder.decode(msg.data)) as { data: { time: string } }).data.time);
        if (time > this.lastTickTime) this.lastTickTime = time;
      } catch {
        // not a tick envelope: ignored
      }
    } }));
  }

  stop(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  /** At least `deals` deals seen, and an account snapshot published after the last of them. */
  settled(deals: number): boolean {
    return this.deals >= deals && (this.lastDeal === 0 || this.lastSnapshot > this.lastDeal);
  }
}

export interface DriverDependencies {
  readonly nats: NatsHandles;
  readonly account: string;
  readonly tracker: OrderFlowTracker;
  readonly watch: ExecutionWatch;
  /** Replays [from, to) through market-data and resolves when it has been published. */
  readonly replay: (from: number, to: number) => Promise<void>;
  /** The signal-engine process to pause and resume. */
  readonly signalEnginePid: () => number;
  readonly log: (line: string) => void;
}

/** What the run saw that it did not expect (reported beside the comparison, never hidden). */
export interface DriveReport {
  readonly segments: number;
  readonly holds: number;
  readonly waitsTimedOut: string[];
}

const SETTLE_TIMEOUT_MS = 20_000;

export async function drive(plan: readonly PlanStep[], from: number, to: number, deps: DriverDependencies): Promise<DriveReport> {
  const waitsTimedOut: string[] = [];
  let segments = 0;
  let holds = 0;
  const at = (bar: number) => new Date(bar).toISOString().slice(0, 16);
  const wait = async (description: string, condition: () => boolean) => {
    await waitFor(async () => condition(), { timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 10, description }).catch(() => {
      waitsTimedOut.push(description);
      deps.log(`! gave up waiting: ${description}`);
    });
  };
  const drain = async (consumers = tradingConsumers(deps.account)) => {
    const result = await waitForDrain(deps.nats, { consumers, tracker: deps.tracker, quietMs: 50, timeoutMs: 120_000 });
    if (!result.drained) waitsTimedOut.push(`drain (backlog ${result.backlog.total}, unfinished ${result.unfinished})`);
  };
  let cursor = from;
  let deals = 0;
  for (const step of plan) {
    // The pipeline has left the forecast: pacing by it would only add a timeout per step. The rest
    // is replayed in one go below, and the comparison names the first trade that differs.
    if (waitsTimedOut.length > 0) break;
    if (cursor < step.bar) {
      await deps.replay(cursor, step.bar);
      segments++;
      await drain();
    }
    segments++;
    if (step.hold) {
      holds++;
      const pid = deps.signalEnginePid();
      process.kill(pid, 'SIGSTOP');
      try {
        await deps.replay(step.bar, step.bar + MINUTE);
        await wait(`the close quote of ${at(step.bar)} reached the tick stream`, () => deps.watch.lastTickTime >= step.bar + CLOSE_QUOTE_OFFSET_MS);
        await wait(`${step.dealsBeforeSignal} deals and the account snapshot after them by ${at(step.bar)}`, () => deps.watch.settled(step.dealsBeforeSignal));
        await drain(tradingConsumers(deps.account).filter((consumer) => consumer.durable !== Consumers.signalEngineBars.durable));
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await wait(`the signal of ${at(step.bar)}`, () => deps.tracker.counts().signals >= step.signalsUpTo);
    } else {
      await deps.replay(step.bar, step.bar + MINUTE);
    }
    await drain();
    if (step.dealsAfter > deals) await wait(`${step.dealsAfter} deals and the account snapshot after them after ${at(step.bar)}`, () => deps.watch.settled(step.dealsAfter));
    deals = step.dealsAfter;
    await drain();
    cursor = step.bar + MINUTE;
  }
  if (cursor < to) {
    if (waitsTimedOut.length > 0) deps.log(`! pacing abandoned at ${at(cursor)}: the rest of the window is replayed at once`);
    await deps.replay(cursor, to);
    segments++;
    await drain();
  }
  return { segments, holds, waitsTimedOut };
}
