import type { BarClosedEnvelope } from '@mt5/contracts';
import { timeframeDuration, type Bar } from '@mt5/domain/market';
import { completeSignal, type SignalDraft } from '@mt5/domain/strategies';
import type { Logger } from 'pino';
import { barFromMessage, signalMessage, type SignalOrigin } from '../../adapters/signal-message.mapper.js';
import type { BarCommit, BarHistory, Clock, OutgoingSignal, SignalStore } from '../ports.js';
import type { StrategyRuntime } from './strategy-runtime.js';
import type { StrategySlot } from './strategy-slot.js';
import { warmUpBars } from './warm-up.js';

/** Bars caught up between two progress signals to the broker (well inside its 30 s ack wait). */
const KEEP_ALIVE_EVERY = 500;

/** Retrying a commit in place, so that the bars behind it wait (their order matters). */
export interface CommitRetry {
  /** Pause before each further attempt; the bar is handed back (nak) when they run out. */
  readonly delaysMs: readonly number[];
  /** Only these failures are retried (a lost connection, a serialization failure). */
  isTransient(error: unknown): boolean;
}

export interface EvaluateSettings {
  readonly retry: CommitRetry;
  /** Most stored bars evaluated to catch up before a bar; a longer gap is skipped (see below). */
  readonly catchUpMaxBars: number;
}

export interface BarContext {
  /** W3C trace headers of the bar's trace, kept with the outbox rows. */
  readonly traceHeaders?: Readonly<Record<string, string>>;
  /** Tells the broker the bar is still being worked on (during catch-up and commit retries). */
  readonly keepAlive?: () => void;
}

/** What one bar message did. */
export interface BarOutcome {
  /** Bars evaluated: stored bars caught up on, then this one (when any strategy evaluated it). */
  readonly evaluatedBars: number;
  /** Strategies that evaluated this bar. */
  readonly evaluated: number;
  /** Strategies that had already handled this bar or a later one (redelivery, duplicate, out of order). */
  readonly skipped: number;
  /** Signals stored while handling the message, to publish now. Signals already stored are not repeated. */
  readonly signals: readonly OutgoingSignal[];
}

/**
 * Evaluates one closed bar with every enabled strategy on its series and commits the outcome.
 * The store's bars, not the arrival order of messages, define the sequence each strategy sees:
 *
 * 1. A strategy whose cursor is at or after the bar skips it: a redelivered, duplicated or
 *    out-of-order bar changes nothing, in memory or in the store.
 * 2. Stored bars between a strategy's cursor and this bar (the broker handed some back and
 *    delivers later ones first, after a restart) are evaluated first, in order, from storage.
 *    When more than `catchUpMaxBars` are missing the strategy resumes at this bar instead.
 * 3. Before a bar is fed, the instance must have seen exactly the stored bars before it. If it
 *    is ahead (warmed past a history being replayed, or fed this very bar before a failed
 *    commit) or behind the store (bars it never saw), it is re-warmed from the bars before it.
 * 4. Signals, processed-bar markers and outbox rows commit in one transaction per bar; only then
 *    does the cursor move. A transient failure is retried in place, holding the bars behind it;
 *    when the retries run out the error goes up and the message is redelivered.
 */
export class EvaluateBarUseCase {
  constructor(
    private readonly runtime: StrategyRuntime,
    private readonly history: BarHistory,
    private readonly store: SignalStore,
    private readonly clock: Clock,
    private readonly settings: EvaluateSettings,
    private readonly logger: Logger,
  ) {}

  execute(message: BarClosedEnvelope, context: BarContext = {}): Promise<BarOutcome> {
    const bar = barFromMessage(message.data);
    return this.runtime.exclusive(async () => {
      const slots = this.runtime.slotsFor(bar);
      const due = slots.filter((slot) => bar.openTime > slot.cursor);
      if (due.length === 0) return { evaluatedBars: 0, evaluated: 0, skipped: slots.length, signals: [] };
      const signals: OutgoingSignal[] = [];
      let evaluatedBars = 0;
      for (const missed of await this.missedBars(due, bar, context)) {
        // A long catch-up outlasts the broker's ack wait: keep the message ours.
        if (evaluatedBars % KEEP_ALIVE_EVERY === KEEP_ALIVE_EVERY - 1) context.keepAlive?.();
        const behind = due.filter((slot) => missed.openTime > slot.cursor);
        const origin = { closeText: missed.closeText, closeTime: new Date(missed.openTime + timeframeDuration(missed.timeframe)).toISOString(), cause: message };
        signals.push(...(await this.evaluate(behind, missed, origin, context)));
        evaluatedBars++;
      }
      const origin = { closeText: message.data.close, closeTime: message.data.closeTime, cause: message };
      signals.push(...(await this.evaluate(due, bar, origin, context)));
      return { evaluatedBars: evaluatedBars + 1, evaluated: due.length, skipped: slots.length - due.length, signals };
    });
  }

  /** Step 2. Only for strategies with a cursor: one that never ran starts at the bar it is given. */
  private async missedBars(due: readonly StrategySlot[], bar: Bar, context: BarContext) {
    const resumed = due.filter((slot) => Number.isFinite(slot.cursor) && slot.cursor < bar.openTime - timeframeDuration(bar.timeframe));
    if (resumed.length === 0) return [];
    const from = Math.min(...resumed.map((slot) => slot.cursor));
    const missed = await this.history.barsBetween(bar, from, bar.openTime, this.settings.catchUpMaxBars + 1);
    if (missed.length > this.settings.catchUpMaxBars) {
      this.logger.warn({ symbol: bar.symbol, from, barTime: bar.openTime, limit: this.settings.catchUpMaxBars }, 'too many bars missed: resuming at this bar without evaluating them');
      return [];
    }
    if (missed.length > 0) {
      context.keepAlive?.();
      this.logger.info({ symbol: bar.symbol, timeframe: bar.timeframe, bars: missed.length, barTime: bar.openTime }, 'catching up on stored bars delivered out of order');
    }
    return missed;
  }

  /** Steps 3 and 4 for one bar and the strategies that have not evaluated it. */
  private async evaluate(slots: readonly StrategySlot[], bar: Bar, origin: SignalOrigin, context: BarContext): Promise<OutgoingSignal[]> {
    if (slots.length === 0) return [];
    await this.align(slots, bar);
    const now = this.clock.now();
    const signals: OutgoingSignal[] = [];
    for (const slot of slots) {
      const draft = slot.instance.onBar(bar);
      slot.lastFed = bar.openTime;
      const outgoing = draft ? this.toMessage(slot, draft, origin, now) : undefined;
      if (outgoing) signals.push(outgoing);
    }
    const fresh = await this.commit({
      strategyIds: slots.map((slot) => slot.strategyId), key: { venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe },
      barOpenTime: bar.openTime, signals, traceHeaders: context.traceHeaders ?? {},
    }, context);
    for (const slot of slots) slot.cursor = bar.openTime;
    return fresh;
  }

  private async commit(commit: BarCommit, context: BarContext): Promise<OutgoingSignal[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.commitBar(commit);
      } catch (error) {
        const delay = this.settings.retry.delaysMs[attempt];
        if (delay === undefined || !this.settings.retry.isTransient(error)) throw error;
        this.logger.warn({ err: error, barTime: commit.barOpenTime, symbol: commit.key.symbol, attempt: attempt + 1, retryInMs: delay }, 'commit failed, retrying in place');
        context.keepAlive?.();
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Step 3. One look-up of the store per bar, and none when the bar directly follows the last one. */
  private async align(slots: readonly StrategySlot[], bar: Bar): Promise<void> {
    const follows = bar.openTime - timeframeDuration(bar.timeframe);
    const suspect = slots.filter((slot) => slot.lastFed !== follows);
    if (suspect.length === 0) return;
    const previous = await this.history.previousOpenTime(bar, bar.openTime);
    for (const slot of suspect) {
      const behind = previous !== undefined && previous > slot.lastFed;
      if (slot.lastFed >= bar.openTime || behind) {
        slot.warm(await warmUpBars(this.history, slot, { before: bar.openTime }));
        this.logger.debug({ strategyId: slot.strategyId, symbol: slot.key.symbol, barTime: bar.openTime, warmedBars: slot.warmedBars }, 're-warmed before bar');
      }
    }
  }

  private toMessage(slot: StrategySlot, draft: SignalDraft, origin: SignalOrigin, now: Date): OutgoingSignal | undefined {
    const signal = completeSignal(draft, {
      strategyId: slot.strategyId, strategyKind: slot.config.kind, venue: slot.key.venue, symbol: slot.key.symbol, timeframe: slot.key.timeframe,
    });
    try {
      return signalMessage(signal, origin, now);
    } catch (error) {
      // Only absurd parameters get here (a stop below zero); the bar itself is fine for the others.
      this.logger.error({ err: error, signalId: signal.signalId }, 'signal dropped: it does not fit the signal contract');
      return undefined;
    }
  }
}
