import type { JetStreamClient } from '@nats-io/jetstream';
import { createMessage, TickMessage, type BridgeBody } from '@mt5/contracts';
import type { Logger } from '@mt5/infra/logging';
import { encodeEnvelope, envelopeHeaders, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { ExecutionMetrics } from '../../application/execution-metrics.js';
import { toDecimalString } from '../../application/mapping/decimals.js';
import type { MarketState } from '../../application/session/market-state.js';

/**
 * Republishes terminal ticks on `md.tick.<venue>.<symbol>` (stream MD_TICKS) and keeps the latest
 * quote for fresh order prices. Fire-and-forget: a tick is superseded by the next one, so a failed
 * publish is counted and logged (rate-limited), never retried.
 */
export class TickPublisher {
  private lastWarning = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly market: MarketState,
    private readonly logger: Logger,
    private readonly options: { readonly venue: string; readonly provision?: ProvisionOptions; readonly toUtc: (serverMs: number) => number },
  ) {}

  publish(tick: BridgeBody<'tick'>): void {
    this.market.setQuote(tick.symbol, { bid: tick.bid, ask: tick.ask, time: tick.time });
    const digits = this.market.spec(tick.symbol)?.digits;
    const time = new Date(this.options.toUtc(tick.time));
    const data = {
      venue: this.options.venue, symbol: tick.symbol, time: time.toISOString(), bid: toDecimalString(tick.bid, digits), ask: toDecimalString(tick.ask, digits),
      ...(tick.last !== undefined && tick.last > 0 ? { last: toDecimalString(tick.last, digits) } : {}),
      ...(tick.volume !== undefined ? { volume: toDecimalString(tick.volume, 8) } : {}),
    };
    let envelope;
    try {
      envelope = createMessage(TickMessage, { id: `tick:${data.venue}:${data.symbol}:${tick.time}:${data.bid}:${data.ask}`, data, tsEvent: time, tsInit: new Date() });
    } catch (error) {
      this.warn(error, tick.symbol);
      return;
    }
    this.js.publish(subjectIn(TickMessage.subject(data), this.options.provision), encodeEnvelope(envelope), { msgID: envelope.id, headers: envelopeHeaders(envelope) })
      .then(() => ExecutionMetrics.ticksPublished.inc({ symbol: tick.symbol }), (error) => this.warn(error, tick.symbol));
  }

  private warn(error: unknown, symbol: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error, symbol }, 'tick not republished');
  }
}
