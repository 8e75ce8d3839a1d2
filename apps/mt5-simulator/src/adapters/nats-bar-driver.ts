import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { barClosedEnvelopeSchema, Subjects, type BarClosed } from '@mt5/contracts';
import type { Logger } from 'pino';
import type { SimBar, SimBroker } from '../broker/sim-broker.js';

/** A closed bar from market data as a bar the broker replays (bid prices, spread when the source had one). */
export function toSimBar(bar: BarClosed): SimBar {
  return {
    time: Date.parse(bar.openTime), open: Number(bar.open), high: Number(bar.high), low: Number(bar.low), close: Number(bar.close),
    tickVolume: bar.tickVolume, ...(bar.spread ? { spreadPoints: bar.spread } : {}),
  };
}

/**
 * The `driven` feed: the simulator's prices follow the closed M1 bars market data publishes, so an
 * end-to-end replay trades on the same prices the strategies see. Each bar is applied with the
 * broker's price path (open, low/high, close: SL/TP and pending orders are checked against the
 * bar's range) and leaves the quote at the close: bid = close, ask = close + spread. A market order
 * after the bar therefore fills at the close (sell) or close + spread (buy).
 *
 * Core NATS, not a JetStream consumer: the simulator wants the bars as they are published, never a
 * replay of old ones after a restart.
 */
export function driveFromBars(nc: NatsConnection, broker: SimBroker, venue: string, symbols: readonly string[], logger: Logger): Subscription[] {
  const decoder = new TextDecoder();
  return symbols.map((symbol) => nc.subscribe(Subjects.bar(venue, symbol, 'M1'), {
    callback: (error, msg) => {
      if (error) {
        logger.error({ err: error }, 'bar subscription failed');
        return;
      }
      let parsed;
      try {
        parsed = barClosedEnvelopeSchema.safeParse(JSON.parse(decoder.decode(msg.data)));
      } catch (parseError) {
        logger.warn({ err: parseError, subject: msg.subject }, 'bar message is not JSON; ignored');
        return;
      }
      if (!parsed.success) {
        logger.warn({ subject: msg.subject, issues: parsed.error.issues.slice(0, 3) }, 'bar message failed its schema; ignored');
        return;
      }
      if (parsed.data.data.symbol !== symbol) return;
      broker.applyBar(symbol, toSimBar(parsed.data.data));
    },
  }));
}
