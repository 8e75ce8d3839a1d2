import { z } from 'zod';
import { Timeframes } from '../names.js';
import {
  Mt5FillingModes,
  Mt5SymbolExecutionModes,
  Mt5SymbolTradeModes,
} from './mt5-enums.js';
import { bridgePrice, bridgeSymbol, bridgeVolume, finiteNumber, points, serverTimeMs } from './values.schemas.js';

/** Gateway → terminal: specifications for these symbols (absent: every Market Watch symbol). */
export const symbolsRequestBodySchema = z.strictObject({
  symbols: z.array(bridgeSymbol).min(1).optional(),
});

/** A weekly session window in server time: `day` 0 = Sunday (`ENUM_DAY_OF_WEEK`), minutes from midnight. */
export const sessionWindowSchema = z
  .strictObject({
    day: z.int().min(0).max(6),
    fromMinute: z.int().min(0).max(1440),
    toMinute: z.int().min(0).max(1440),
  })
  .refine((window) => window.toMinute > window.fromMinute, { error: 'toMinute must be after fromMinute', path: ['toMinute'] });

/** One symbol's contract, from `SymbolInfo*` and `SymbolInfoSessionQuote/Trade`. */
export const symbolSpecSchema = z.strictObject({
  symbol: bridgeSymbol,
  description: z.string().max(256),
  digits: z.int().min(0).max(12),
  /** Smallest price change (`SYMBOL_POINT`). */
  point: z.number().positive(),
  tickSize: z.number().positive(),
  /** Value of one tick for one lot, in deposit currency (`SYMBOL_TRADE_TICK_VALUE`). */
  tickValue: z.number().nonnegative(),
  contractSize: z.number().positive(),
  volumeMin: z.number().positive(),
  volumeMax: z.number().positive(),
  volumeStep: z.number().positive(),
  /** Max total volume per symbol and direction; 0 = no limit (`SYMBOL_VOLUME_LIMIT`). */
  volumeLimit: bridgeVolume,
  /** Minimum SL/TP distance from price, in points. */
  stopsLevel: points,
  /** Distance within which orders and positions cannot be modified, in points. */
  freezeLevel: points,
  fillingModes: z.array(z.enum(Mt5FillingModes)).min(1),
  tradeMode: z.enum(Mt5SymbolTradeModes),
  executionMode: z.enum(Mt5SymbolExecutionModes),
  sessions: z.strictObject({
    quote: z.array(sessionWindowSchema),
    trade: z.array(sessionWindowSchema),
  }),
  currencyBase: z.string().max(16),
  currencyProfit: z.string().max(16),
  currencyMargin: z.string().max(16),
  /** Swap per lot per night for longs and shorts, in the symbol's swap mode units. */
  swapLong: finiteNumber,
  swapShort: finiteNumber,
});
export type SymbolSpec = z.infer<typeof symbolSpecSchema>;

/** Terminal → gateway: reply to `symbols_request`, or unsolicited when a spec changes. */
export const symbolSpecBodySchema = z.strictObject({
  specs: z.array(symbolSpecSchema),
  /** Requested symbols the terminal does not know. */
  unknownSymbols: z.array(bridgeSymbol),
});

/** Gateway → terminal: stream ticks for these symbols (replaces the previous set; empty stops). */
export const ticksSubscribeBodySchema = z.strictObject({
  symbols: z.array(bridgeSymbol),
});

/** Terminal → gateway: one quote (`MqlTick`). */
export const tickBodySchema = z.strictObject({
  symbol: bridgeSymbol,
  /** `time_msc`, server time. */
  time: serverTimeMs,
  bid: bridgePrice,
  ask: bridgePrice,
  last: bridgePrice.optional(),
  /** `volume_real`. */
  volume: bridgeVolume.optional(),
  /** `TICK_FLAG_*` bit set. */
  flags: z.int().nonnegative().optional(),
});

/** Gateway → terminal: bars opening within [from, to] (server time), oldest first. */
export const barsRequestBodySchema = z
  .strictObject({
    symbol: bridgeSymbol,
    timeframe: z.enum(Timeframes),
    from: serverTimeMs,
    to: serverTimeMs,
    maxCount: z.int().min(1).max(100_000),
  })
  .refine((request) => request.to >= request.from, { error: 'to must not be before from', path: ['to'] });

/** One `MqlRates` row. */
export const bridgeBarSchema = z.strictObject({
  /** Open time, server time. */
  time: serverTimeMs,
  open: bridgePrice,
  high: bridgePrice,
  low: bridgePrice,
  close: bridgePrice,
  tickVolume: z.int().nonnegative(),
  spread: points,
  realVolume: bridgeVolume,
});
export type BridgeBar = z.infer<typeof bridgeBarSchema>;

/**
 * Terminal → gateway: reply to `bars_request`. `truncated` means more bars exist in the range;
 * ask again from the last bar's time. The last bar may still be forming: the gateway publishes
 * only bars whose close time has passed.
 */
export const barsBodySchema = z.strictObject({
  symbol: bridgeSymbol,
  timeframe: z.enum(Timeframes),
  bars: z.array(bridgeBarSchema),
  truncated: z.boolean(),
});
