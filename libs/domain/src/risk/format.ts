import { roundTo } from '../positions/volume-math.js';

/**
 * How numbers appear in denial contexts. Tests and operators match these strings, so each kind of
 * figure has one format: volumes as the shortest decimal with at least one fraction digit (2.0,
 * 2.5, 0.01), money with two decimals, prices with the instrument's digits, times as ISO UTC.
 */
export function formatVolume(volume: number): string {
  const text = String(roundTo(volume, 8));
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/** Money with two decimals (`-523.10`). */
export function formatMoney(amount: number): string {
  return roundTo(amount, 2).toFixed(2);
}

/** A price with the instrument's digits (`1.10250`). */
export function formatPrice(price: number, digits: number): string {
  return price.toFixed(digits);
}

/** A percentage with two decimals (`12.50`). */
export function formatPercent(percent: number): string {
  return roundTo(percent, 2).toFixed(2);
}

/** Epoch milliseconds as ISO 8601 UTC (`2024-03-01T22:00:00.000Z`). */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
