import { z } from 'zod';
import { ticketString } from '../primitives.schemas.js';

/**
 * Value types inside bridge frames.
 *
 * Numbers: prices, volumes and money are JSON numbers here, unlike on NATS. MQL5 holds them as
 * `double` and its JSON is hand-written; forcing strings would only move the double-to-text step
 * into the EA. The EA writes prices with `DoubleToString(value, digits)` and volumes with the
 * digits of the volume step, so the text on the wire is exact; the gateway turns each into a
 * decimal string with the symbol's digits before anything goes onto NATS. JSON cannot carry NaN
 * or Infinity, and the schemas reject non-finite numbers anyway.
 *
 * Tickets (order, deal, position) are `ulong` in MT5 and may exceed 2^53, so they are strings of
 * digits; `"0"` means none, as in MT5.
 *
 * Times: the frame header `ts` is the sender's UTC clock in epoch milliseconds. Times inside
 * bodies (tick, bar, deal, order and position times) are what the terminal reports: broker
 * *server* time as epoch milliseconds (`time_msc`, or `datetime` × 1000). The EA reports the
 * current offset (`TimeTradeServer() - TimeGMT()`) in `hello` and terminal heartbeats; the
 * gateway converts to UTC. Historical times cross DST changes of the broker's zone, so a single
 * offset is not enough for history: the gateway applies the broker's zone rules.
 */

/** A finite JSON number (MQL5 double). */
export const finiteNumber = z.number();
/** A price; 0 means "not set" for SL/TP fields, as in MT5. */
export const bridgePrice = z.number().nonnegative();
/** A volume in lots. */
export const bridgeVolume = z.number().nonnegative();
/** Money in account currency; may be negative. */
export const bridgeMoney = z.number();
/** Broker server time, epoch milliseconds. */
export const serverTimeMs = z.int().nonnegative();
/** UTC time, epoch milliseconds. */
export const utcTimeMs = z.int().nonnegative();
/** An MT5 ticket as a digit string; `"0"` for none. */
export const bridgeTicket = ticketString;
/** A magic number; foreign EAs may use values beyond 2^53 (inexact, never ours). */
export const bridgeMagic = z.number().nonnegative().refine(Number.isInteger, { error: 'magic must be an integer' });
/** A symbol name as the terminal spells it. */
export const bridgeSymbol = z.string().min(1).max(64);
/** Order and deal comments as the terminal reports them (brokers append their own text). */
export const bridgeComment = z.string().max(64);
/** A distance in points (stops level, freeze level, deviation, spread). */
export const points = z.int().nonnegative();
