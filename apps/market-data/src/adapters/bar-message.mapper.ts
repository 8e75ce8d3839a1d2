import { BarClosedMessage, Subjects, type BarClosed, type EnvelopeOf } from '@mt5/contracts';
import { barEnd, type BarAlignment } from '@mt5/domain/market';
import type { WireBar } from './wire-bar.js';

export type BarClosedEnvelope = EnvelopeOf<typeof BarClosedMessage>;

/**
 * The message id of a closed bar: the bar's identity, so publishing it again (a re-run, a crash
 * between publish and bookkeeping) is dropped by JetStream inside the duplicate window and is a
 * no-op for consumers beyond it. A replay `tag` makes a deliberate second run a new message.
 */
export function barMessageId(bar: Pick<WireBar, 'venue' | 'symbol' | 'timeframe' | 'openTime'>, tag?: string): string {
  const id = `bar:${bar.venue}:${bar.symbol}:${bar.timeframe}:${bar.openTime}`;
  return tag ? `${id}:${tag}` : id;
}

/** Maps stored bars to `md.bar.closed` envelopes; one per service (holds the D1 alignment). */
export class BarMessageMapper {
  private readonly subjects = new Map<string, string>();

  constructor(private readonly alignment: BarAlignment | undefined) {}

  /** `md.bar.<venue>.<symbol>.<tf>`, rendered once per series (symbol encoding is not free). */
  subject(bar: Pick<WireBar, 'venue' | 'symbol' | 'timeframe'>): string {
    const key = `${bar.venue}\u0000${bar.symbol}\u0000${bar.timeframe}`;
    let subject = this.subjects.get(key);
    if (subject === undefined) {
      subject = Subjects.bar(bar.venue, bar.symbol, bar.timeframe);
      this.subjects.set(key, subject);
    }
    return subject;
  }

  /** The payload: ISO times (close = the next bucket's start) and the stored decimal strings. */
  payload(bar: WireBar): BarClosed {
    const payload: { -readonly [K in keyof BarClosed]: BarClosed[K] } = {
      venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe,
      openTime: new Date(bar.openTime).toISOString(),
      closeTime: new Date(barEnd(bar.timeframe, bar.openTime, this.alignment)).toISOString(),
      open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume,
    };
    if (bar.spread !== undefined) payload.spread = bar.spread;
    if (bar.realVolume !== undefined) payload.realVolume = bar.realVolume;
    return payload;
  }

  /**
   * The envelope, built without re-parsing: every field comes from a row that passed the
   * importer's checks and the database's types, and the hot replay path cannot afford a zod
   * parse per bar. bar-message.mapper.spec.ts parses the output against the contract schema.
   */
  envelope(bar: WireBar, tsInit: string, tag?: string): { subject: string; envelope: BarClosedEnvelope } {
    const data = this.payload(bar);
    const id = barMessageId(bar, tag);
    return {
      subject: this.subject(bar),
      envelope: { type: BarClosedMessage.type, v: BarClosedMessage.v, id, correlationId: id, causationId: null, tsEvent: data.closeTime, tsInit, data },
    };
  }
}
