import type { BarClosedEnvelope } from '@mt5/contracts';
import { timeframeDuration, type Bar } from '@mt5/domain/market';
import { completeSignal, type SignalDraft } from '@mt5/domain/strategies';
import type { Logger } from 'pino';
import { barFromMessage, signalMessage } from '../../adapters/signal-message.mapper.js';
import type { BarCommit, BarHistory, Clock, OutgoingSignal, SignalStore } from '../ports.js';
import type { StrategyRuntime } from './strategy-runtime.js';
import type { StrategySlot } from './strategy-slot.js';

/** Retrying a commit in place, so that the bars behind it wait (their order matters). */
export interface CommitRetry {
  /** Pause before each further attempt; the bar is handed back (nak) when they run out. */
  readonly delaysMs: readonly number[];
  /** Only these failures are retried (a lost connection, a serialization failure). */
  isTransient(error: unknown): boolean;
}

export interface BarContext {
  /** W3C trace headers of the bar's trace, kept with the outbox rows. */
  readonly traceHeaders?: Readonly<Record<string, string>>;
  /** Tells the broker the bar is still being worked on (during commit retries). */
  readonly keepAlive?: () => void;
}

/** What one bar did. */
export interface BarOutcome {
  /** Strategies that evaluated the bar. */
  readonly evaluated: number;
  /** Strategies that had already handled this bar or a later one (redelivery, duplicate, out of order). */
  readonly skipped: number;
  /** Signals stored by this bar, to publish now. Signals already stored are not repeated. */
  readonly signals: readonly OutgoingSignal[];
}

/**
 * Evaluates one closed bar with every enabled strategy on its series and commits the outcome:
 *
 * 1. A strategy whose cursor is at or after the bar skips it: a redelivered, duplicated or
 *    out-of-order bar changes nothing, in memory or in the store.
 * 2. Before the bar is fed, the instance must have seen exactly the stored bars before it. If it
 *    is ahead of the bar (warmed past a history being replayed, or fed this very bar before a
 *    failed commit) or behind the store (bars it never saw), it is re-warmed from the stored
 *    bars before this one.
 * 3. Signals, processed-bar markers and outbox rows commit in one transaction; only then does
 *    the cursor move. A transient failure is retried in place, holding the bars behind it; when
 *    the retries run out the error goes up and the bar is redelivered. If the stream has moved
 *    past it by then, it arrives out of order and changes nothing (its signal would be stale).
 */
export class EvaluateBarUseCase {
  constructor(
    private readonly runtime: StrategyRuntime,
    private readonly history: BarHistory,
    private readonly store: SignalStore,
    private readonly clock: Clock,
    private readonly retry: CommitRetry,
    private readonly logger: Logger,
  ) {}

  execute(message: BarClosedEnvelope, context: BarContext = {}): Promise<BarOutcome> {
    const bar = barFromMessage(message.data);
    return this.runtime.exclusive(async () => {
      const slots = this.runtime.slotsFor(bar);
      const due = slots.filter((slot) => bar.openTime > slot.cursor);
      if (due.length === 0) return { evaluated: 0, skipped: slots.length, signals: [] };
      await this.align(due, bar);
      const now = this.clock.now();
      const signals: OutgoingSignal[] = [];
      for (const slot of due) {
        const draft = slot.instance.onBar(bar);
        slot.lastFed = bar.openTime;
        const outgoing = draft ? this.toMessage(slot, draft, message, now) : undefined;
        if (outgoing) signals.push(outgoing);
      }
      const commit: BarCommit = {
        strategyIds: due.map((slot) => slot.strategyId), key: { venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe },
        barOpenTime: bar.openTime, signals, traceHeaders: context.traceHeaders ?? {},
      };
      const fresh = await this.commit(commit, context);
      for (const slot of due) slot.cursor = bar.openTime;
      return { evaluated: due.length, skipped: slots.length - due.length, signals: fresh };
    });
  }

  private async commit(commit: BarCommit, context: BarContext): Promise<OutgoingSignal[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.commitBar(commit);
      } catch (error) {
        const delay = this.retry.delaysMs[attempt];
        if (delay === undefined || !this.retry.isTransient(error)) throw error;
        this.logger.warn({ err: error, barTime: commit.barOpenTime, symbol: commit.key.symbol, attempt: attempt + 1, retryInMs: delay }, 'commit failed, retrying in place');
        context.keepAlive?.();
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Step 2 above. One look-up of the store per bar, and none when the bar directly follows the last one. */
  private async align(due: readonly StrategySlot[], bar: Bar): Promise<void> {
    const follows = bar.openTime - timeframeDuration(bar.timeframe);
    const suspect = due.filter((slot) => slot.lastFed !== follows);
    if (suspect.length === 0) return;
    const previous = await this.history.previousOpenTime(bar, bar.openTime);
    for (const slot of suspect) {
      const behind = previous !== undefined && previous > slot.lastFed;
      if (slot.lastFed >= bar.openTime || behind) {
        slot.warm(await this.history.lastBars(slot.key, slot.warmUpCount, { before: bar.openTime }));
        this.logger.debug({ strategyId: slot.strategyId, symbol: slot.key.symbol, barTime: bar.openTime, warmedBars: slot.warmedBars }, 're-warmed before bar');
      }
    }
  }

  private toMessage(slot: StrategySlot, draft: SignalDraft, message: BarClosedEnvelope, now: Date): OutgoingSignal | undefined {
    const signal = completeSignal(draft, {
      strategyId: slot.strategyId, strategyKind: slot.config.kind, venue: slot.key.venue, symbol: slot.key.symbol, timeframe: slot.key.timeframe,
    });
    try {
      return signalMessage(signal, message, now);
    } catch (error) {
      // Only absurd parameters get here (a stop below zero); the bar itself is fine for the others.
      this.logger.error({ err: error, signalId: signal.signalId }, 'signal dropped: it does not fit the signal contract');
      return undefined;
    }
  }
}
