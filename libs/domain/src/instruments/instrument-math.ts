import { formatPrice } from '../market/decimal-text.js';
import { sessionCalendar, type SessionCalendar } from '../market/session-calendar.js';
import type { InstrumentSpec } from './instrument-spec.js';

/** Stablecoins valued 1:1 with the USD account currency (a documented assumption, not a quote). */
export const UsdPeggedCurrencies: readonly string[] = ['USDT', 'USDC'];

/**
 * Value in USD of one tick for one lot at quote `price`.
 * - Profit in USD (or a USD-pegged stablecoin): `tickSize × contractSize`, price-independent.
 * - Base USD (USDJPY): the profit is in the quote currency, so divide by the price:
 *   `0.001 × 100 000 / 110.25 ≈ 0.907 USD`.
 * - Otherwise (a cross like EURGBP) the profit currency's USD rate is needed: pass
 *   `profitCurrencyToUsd`; without it the result is `undefined` rather than a guess.
 */
export function tickValueAt(spec: InstrumentSpec, price: number, profitCurrencyToUsd?: number): number | undefined {
  const perTickInProfitCurrency = spec.tickSize * spec.contractSize;
  if (spec.profitCurrency === 'USD' || UsdPeggedCurrencies.includes(spec.profitCurrency)) return perTickInProfitCurrency;
  if (spec.baseCurrency === 'USD') {
    if (!(price > 0)) throw new RangeError(`tickValueAt: price ${price} is not positive`);
    return perTickInProfitCurrency / price;
  }
  return profitCurrencyToUsd === undefined ? undefined : perTickInProfitCurrency * profitCurrencyToUsd;
}

const calendars = new WeakMap<object, SessionCalendar>();

/** True when the instrument trades at `epochMs` (UTC) by its weekly sessions. */
export function isInSession(spec: InstrumentSpec, epochMs: number): boolean {
  let calendar = calendars.get(spec.sessions);
  if (!calendar) {
    calendar = sessionCalendar(spec.sessions);
    calendars.set(spec.sessions, calendar);
  }
  return calendar.isOpen(epochMs);
}

/** A price as the instrument's decimal text (`formatInstrumentPrice(eurusd, 1.1284)` → `"1.12840"`). */
export function formatInstrumentPrice(spec: InstrumentSpec, price: number): string {
  return formatPrice(price, spec.digits);
}
