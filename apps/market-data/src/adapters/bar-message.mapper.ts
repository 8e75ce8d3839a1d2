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

/** One bar ready for the wire: subject, message id and the encoded envelope. */
export interface EncodedBarMessage {
  readonly subject: string;
  readonly id: string;
  readonly bytes: Uint8Array;
}

interface SeriesText {
  readonly subject: string;
  /** `"venue":…,"symbol":…,"timeframe":…,` as JSON, escaped once. */
  readonly identity: string;
}

const encoder = new TextEncoder();
const TYPE_JSON = JSON.stringify(BarClosedMessage.type);

/** Maps stored bars to `md.bar.closed` envelopes; one per service (holds the D1 alignment). */
export class BarMessageMapper {
  private readonly series = new Map<string, SeriesText>();

  constructor(private readonly alignment: BarAlignment | undefined) {}

  /** `md.bar.<venue>.<symbol>.<tf>`, rendered once per series (symbol encoding is not free). */
  subject(bar: Pick<WireBar, 'venue' | 'symbol' | 'timeframe'>): string {
    return this.seriesText(bar).subject;
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

  /** The envelope as an object (tests, small batches). {@link encode} writes the same JSON directly. */
  envelope(bar: WireBar, tsInit: string, tag?: string): { subject: string; envelope: BarClosedEnvelope } {
    const data = this.payload(bar);
    const id = barMessageId(bar, tag);
    return {
      subject: this.subject(bar),
      envelope: { type: BarClosedMessage.type, v: BarClosedMessage.v, id, correlationId: id, causationId: null, tsEvent: data.closeTime, tsInit, data },
    };
  }

  /**
   * The envelope's JSON bytes, written with one template per bar: the replay path cannot afford
   * an object and a `JSON.stringify` per bar, nor a zod parse. Every field comes from a row that
   * passed the importer's checks and the database's types (decimal strings, integers); venue and
   * symbol are escaped once per series. bar-message.mapper.spec.ts checks the bytes against
   * {@link envelope} and the contract schema.
   */
  encode(bar: WireBar, tsInitJson: string, tag?: string): EncodedBarMessage {
    const series = this.seriesText(bar);
    const id = barMessageId(bar, tag);
    const idJson = JSON.stringify(id);
    const openTime = new Date(bar.openTime).toISOString();
    const closeTime = new Date(barEnd(bar.timeframe, bar.openTime, this.alignment)).toISOString();
    const optional = (bar.spread === undefined ? '' : `,"spread":${bar.spread}`) + (bar.realVolume === undefined ? '' : `,"realVolume":"${bar.realVolume}"`);
    const json = `{"type":${TYPE_JSON},"v":${BarClosedMessage.v},"id":${idJson},"correlationId":${idJson},"causationId":null,"tsEvent":"${closeTime}","tsInit":${tsInitJson},`
      + `"data":{${series.identity}"openTime":"${openTime}","closeTime":"${closeTime}","open":"${bar.open}","high":"${bar.high}","low":"${bar.low}","close":"${bar.close}",`
      + `"tickVolume":${bar.tickVolume}${optional}}}`;
    return { subject: series.subject, id, bytes: encoder.encode(json) };
  }

  private seriesText(bar: Pick<WireBar, 'venue' | 'symbol' | 'timeframe'>): SeriesText {
    const key = `${bar.venue}\u0000${bar.symbol}\u0000${bar.timeframe}`;
    let text = this.series.get(key);
    if (text === undefined) {
      text = {
        subject: Subjects.bar(bar.venue, bar.symbol, bar.timeframe),
        identity: `"venue":${JSON.stringify(bar.venue)},"symbol":${JSON.stringify(bar.symbol)},"timeframe":${JSON.stringify(bar.timeframe)},`,
      };
      this.series.set(key, text);
    }
    return text;
  }
}
