import type { TradingSessions } from '../market/trading-sessions.js';

export const TradeModes = ['FULL', 'LONG_ONLY', 'SHORT_ONLY', 'CLOSE_ONLY', 'DISABLED'] as const;
/** MT5 `SYMBOL_TRADE_MODE`: which orders the venue accepts for the symbol. */
export type TradeMode = (typeof TradeModes)[number];

export const FillingModes = ['FOK', 'IOC', 'RETURN'] as const;
/** MT5 `SYMBOL_FILLING_MODE` flags: fill-or-kill, immediate-or-cancel, return (book remainder). */
export type FillingMode = (typeof FillingModes)[number];

/**
 * MT5-style symbol specification (the fields of `SymbolInfo*` the platform needs). Units are MT5's:
 * prices in quote currency, levels in points, volumes in lots.
 */
export interface InstrumentSpec {
  readonly symbol: string;
  readonly venue: string;
  readonly description: string;
  /** Decimal places of a price (`SYMBOL_DIGITS`). */
  readonly digits: number;
  /** Smallest price increment of a quote, `10^-digits` (`SYMBOL_POINT`). */
  readonly point: number;
  /** Smallest price change that changes profit (`SYMBOL_TRADE_TICK_SIZE`). */
  readonly tickSize: number;
  /**
   * Profit of one tick for one lot, in the account currency USD (`SYMBOL_TRADE_TICK_VALUE`).
   * Exact when the profit currency is USD. Otherwise it is the value at the catalogue's
   * reference rate (USDJPY: 100 000 × 0.001 JPY at 150.000 JPY/USD ≈ 0.66667 USD), as MT5 shows
   * it at one moment; use `tickValueAt(spec, price)` for the value at a given rate.
   */
  readonly tickValue: number;
  /** Units of the base asset in one lot (`SYMBOL_TRADE_CONTRACT_SIZE`). */
  readonly contractSize: number;
  readonly volumeMin: number;
  readonly volumeMax: number;
  readonly volumeStep: number;
  /** Minimum distance of stops from the price, in points (`SYMBOL_TRADE_STOPS_LEVEL`); 0 = none. */
  readonly stopsLevel: number;
  /** Distance in points within which orders and stops may not be modified (`SYMBOL_TRADE_FREEZE_LEVEL`). */
  readonly freezeLevel: number;
  readonly baseCurrency: string;
  readonly profitCurrency: string;
  readonly marginCurrency: string;
  readonly tradeMode: TradeMode;
  readonly fillingModes: readonly FillingMode[];
  /** Weekly trading windows; see {@link TradingSessions}. */
  readonly sessions: TradingSessions;
  /** Typical spread in points, for simulation and cost estimates. */
  readonly defaultSpreadPoints: number;
  /** Initial margin rate multiplier (`SYMBOL_MARGIN_INITIAL` rate; 1 for FX at most brokers). */
  readonly marginRate: number;
  /** Per-symbol leverage where the venue sets one (CFDs, crypto); otherwise the account's applies. */
  readonly leverage?: number;
}

/** The versioned catalogue file (`catalogue.v1.json`). */
export interface InstrumentCatalogue {
  readonly version: 1;
  readonly instruments: readonly InstrumentSpec[];
}
