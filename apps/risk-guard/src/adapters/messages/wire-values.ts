import { createHash } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A stable id from its parts: `<prefix>` + 26 base32 characters of their SHA-256 (130 bits). The
 * same signal always gets the same decision id and clientOrderId, so a decision redone after a
 * crash (before its commit) publishes under the same ids, and JetStream drops the duplicates.
 */
export function stableId(prefix: string, ...parts: readonly string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= 26) break;
  }
  return `${prefix}${out}`;
}

/**
 * A number as a plain decimal string (no exponent), as the wire's decimal fields demand: integers
 * as is, fractions to at most 8 places without trailing zeros.
 */
export function decimalText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`decimalText: ${value} is not finite`);
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const fixed = value.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** A price with the instrument's digits. */
export function priceText(value: number, digits: number): string {
  return value.toFixed(digits);
}

/** Money with two decimals. */
export function moneyText(value: number): string {
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

export const isoTime = (epochMs: number) => new Date(epochMs).toISOString();
