import type { Timeframe } from '@mt5/contracts';

/**
 * One OHLC bar as the domain sees it. Prices are numbers for arithmetic (indicators, aggregation);
 * where the exact decimal matters (the database, the wire) use {@link ImportedBar}'s original text
 * or `formatPrice(value, digits)` with the instrument's digits.
 */
export interface Bar {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Start of the bar, epoch milliseconds UTC. The bar covers `[openTime, openTime + duration)`. */
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Ticks in the bar (MT5 `tick_volume`); what FX sources call "volume". */
  readonly tickVolume: number;
  /** Spread in points (MT5 `spread`), when the source has it. */
  readonly spreadPoints?: number;
  /** Exchange-traded volume (MT5 `real_volume`, Binance base-asset volume), when the source has it. */
  readonly realVolume?: number;
}

/**
 * A bar read from a file, with each price's decimal text exactly as the source wrote it
 * (`"1.1284"` stays `"1.1284"`), so storage can write decimals without float noise.
 */
export interface ImportedBar extends Bar {
  readonly openText: string;
  readonly highText: string;
  readonly lowText: string;
  readonly closeText: string;
  /** Source text of {@link Bar.realVolume}, when present. */
  readonly realVolumeText?: string;
}

/** A bar that is still forming (live aggregation); never stored or published as closed. */
export interface FormingBar extends Bar {
  readonly final: false;
}
