import type { InstrumentMath } from '../positions/instrument-math.types.js';

/** MT5 `SYMBOL_TRADE_MODE`: what the venue lets the account do on a symbol. */
export const TradeModes = ['DISABLED', 'LONG_ONLY', 'SHORT_ONLY', 'CLOSE_ONLY', 'FULL'] as const;
export type TradeMode = (typeof TradeModes)[number];

/**
 * The instrument facts risk needs, structurally: the instruments library's `InstrumentSpec`
 * satisfies it. Session windows are not read here; the caller passes whether the trade session
 * is open at `now` (`isInSession(spec, now)` from the instruments library) in the context.
 */
export interface RiskInstrument extends InstrumentMath {
  readonly venue: string;
  readonly volumeMin: number;
  readonly volumeMax: number;
  readonly volumeStep: number;
  /** Minimum stop-loss / take-profit distance from the current price, in points. */
  readonly stopsLevel: number;
  readonly tradeMode: TradeMode;
}
