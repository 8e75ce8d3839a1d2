import type { Timeframe } from '@mt5/contracts';
import { formatPrice, type Bar, type ImportedBar } from '@mt5/domain/market';

/**
 * A closed bar as storage and the wire see it: identity, epoch-ms open time, and every price and
 * volume as an exact decimal string. The one shape between the database, NATS and Redis.
 */
export interface WireBar {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly tickVolume: number;
  readonly spread?: number;
  readonly realVolume?: string;
}

const CANONICAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * The contracts' decimal form of a plain decimal text (`+1.50` → `1.50`, `.5` → `0.5`, `007` →
 * `7`, `1.` → `1`). Value-preserving: only signs, leading zeros and bare dots change.
 */
export function canonicalDecimal(text: string): string {
  if (CANONICAL.test(text)) return text;
  let body = text.startsWith('+') ? text.slice(1) : text;
  if (body.endsWith('.')) body = body.slice(0, -1);
  const dot = body.indexOf('.');
  const whole = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+(?=\d)/, '') || '0';
  const result = dot < 0 ? whole : `${whole}${body.slice(dot)}`;
  if (!CANONICAL.test(result)) throw new RangeError(`not a plain decimal: ${JSON.stringify(text)}`);
  return result;
}

/** An imported bar with the source's own price texts. */
export function wireFromImported(bar: ImportedBar): WireBar {
  return {
    venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe, openTime: bar.openTime,
    open: canonicalDecimal(bar.openText), high: canonicalDecimal(bar.highText), low: canonicalDecimal(bar.lowText), close: canonicalDecimal(bar.closeText),
    tickVolume: bar.tickVolume, spread: bar.spreadPoints,
    realVolume: bar.realVolumeText === undefined ? undefined : canonicalDecimal(bar.realVolumeText),
  };
}

/**
 * A computed bar (aggregated, built from ticks) with prices written to `digits` decimals. Every
 * price of such a bar is one of its source prices, so when no source had more than `digits`
 * decimals the text is exact. Real volume is a sum and gets up to 8 decimals, trailing zeros cut.
 */
export function wireFromBar(bar: Bar, digits: number): WireBar {
  return {
    venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe, openTime: bar.openTime,
    open: formatPrice(bar.open, digits), high: formatPrice(bar.high, digits), low: formatPrice(bar.low, digits), close: formatPrice(bar.close, digits),
    tickVolume: bar.tickVolume, spread: bar.spreadPoints,
    realVolume: bar.realVolume === undefined ? undefined : trimZeros(bar.realVolume.toFixed(8)),
  };
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Decimal places written in a decimal text (`1.36960` → 5), to learn a symbol's digits from its data. */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The bar's numbers, for aggregation (exact: each decimal string parses to the nearest double). */
export function barFromWire(bar: WireBar): Bar {
  return {
    venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe, openTime: bar.openTime,
    open: Number(bar.open), high: Number(bar.high), low: Number(bar.low), close: Number(bar.close),
    tickVolume: bar.tickVolume, spreadPoints: bar.spread, realVolume: bar.realVolume === undefined ? undefined : Number(bar.realVolume),
  };
}
