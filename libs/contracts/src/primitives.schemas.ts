import { z } from 'zod';

/**
 * Building blocks shared by every message schema: decimal strings, UTC timestamps, identifiers
 * and the small enums (side, order type) that several areas use.
 *
 * Conventions for absent values: requests and commands leave an unknown field out (`optional`);
 * snapshots of state always carry the key and use `null` (`nullable`), so a missing key is a bug
 * the schema catches rather than "no stop loss".
 */

/** Longest decimal string accepted; far beyond any price, volume or balance, short enough to bound work. */
const MAX_DECIMAL_LENGTH = 40;

const UNSIGNED_DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const SIGNED_DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** Which decimal strings a field accepts. */
export const DecimalSigns = ['signed', 'non-negative', 'positive'] as const;
export type DecimalSign = (typeof DecimalSigns)[number];

function isZeroDecimal(value: string): boolean {
  return /^-?0(\.0+)?$/.test(value);
}

/** True when `value` is a plain decimal string of the given sign kind (see {@link decimalString}). */
export function isDecimalString(value: string, sign: DecimalSign = 'non-negative'): boolean {
  if (value.length > MAX_DECIMAL_LENGTH) return false;
  if (sign === 'signed') return SIGNED_DECIMAL.test(value);
  if (!UNSIGNED_DECIMAL.test(value)) return false;
  return sign === 'non-negative' || !isZeroDecimal(value);
}

const signWords: Record<DecimalSign, string> = {
  signed: 'a plain decimal string such as "-12.50"',
  'non-negative': 'a non-negative plain decimal string such as "1.08525"',
  positive: 'a positive plain decimal string such as "0.10"',
};

/**
 * Prices, volumes and money travel as decimal strings so no hop rounds them through a double.
 *
 * Accepted: plain notation, digits with an optional fraction (`"0"`, `"1.08525"`, `"1500"`), and
 * a leading `-` only when `sign` is `'signed'` (money: profit, swap, commission, balance).
 * Rejected, with a message naming the value: numbers (even finite ones), `NaN`, `Infinity`,
 * exponents (`1e5`), a `+` sign, leading zeros (`007`), bare or trailing dots (`.5`, `1.`),
 * whitespace, and anything longer than 40 characters. `decimal.js`'s `toFixed()` and `toString()`
 * for values within 1e-7..1e21 produce exactly this form.
 */
export function decimalString(sign: DecimalSign = 'non-negative') {
  return z.string().refine((value) => isDecimalString(value, sign), {
    error: (issue) => `expected ${signWords[sign]} (no exponent, NaN or Infinity), got ${JSON.stringify(issue.input)}`,
  });
}

/** A price: non-negative (some spreads and CFDs quote 0; negative prices are not supported). */
export const priceString = decimalString('non-negative');
/** A traded or requested volume in lots: strictly positive. */
export const volumeString = decimalString('positive');
/** Money in account currency: may be negative. */
export const moneyString = decimalString('signed');

/**
 * Compares two decimal strings exactly (no floating point). Both must pass
 * `isDecimalString(x, 'signed')`; returns -1, 0 or 1.
 */
export function compareDecimalStrings(a: string, b: string): -1 | 0 | 1 {
  if (!isDecimalString(a, 'signed') || !isDecimalString(b, 'signed')) {
    throw new Error(`compareDecimalStrings: not decimal strings: ${JSON.stringify(a)}, ${JSON.stringify(b)}`);
  }
  const negA = a.startsWith('-') && !isZeroDecimal(a);
  const negB = b.startsWith('-') && !isZeroDecimal(b);
  if (negA !== negB) return negA ? -1 : 1;
  const magnitude = compareMagnitudes(a.replace(/^-/, ''), b.replace(/^-/, ''));
  return (negA ? -magnitude : magnitude) as -1 | 0 | 1;
}

function compareMagnitudes(a: string, b: string): -1 | 0 | 1 {
  const [intA, fracA = ''] = a.split('.');
  const [intB, fracB = ''] = b.split('.');
  // No leading zeros (schema invariant), so a longer integer part is a larger number.
  if (intA.length !== intB.length) return intA.length < intB.length ? -1 : 1;
  const width = Math.max(fracA.length, fracB.length);
  const left = intA + fracA.padEnd(width, '0');
  const right = intB + fracB.padEnd(width, '0');
  return left === right ? 0 : left < right ? -1 : 1;
}

/**
 * An ISO-8601 timestamp in UTC with a `Z` suffix and seconds (`2024-01-02T03:04:05.678Z`), as
 * `Date.prototype.toISOString` writes it. Offsets such as `+02:00` are rejected so timestamps
 * compare as strings and no broker server time leaks onto the bus.
 */
export const isoUtcTimestamp = z.iso.datetime({
  error: (issue) => `expected an ISO-8601 UTC timestamp such as "2024-01-02T03:04:05.000Z", got ${JSON.stringify(issue.input)}`,
});

const SUBJECT_TOKEN = /^[A-Za-z0-9_-]+$/;

/** A value that also becomes a subject token (venue, account, strategy id): letters, digits, `_`, `-`. */
export function subjectTokenString(what: string, maxLength = 64) {
  return z.string().min(1).max(maxLength).regex(SUBJECT_TOKEN, {
    error: (issue) => `${what} must be 1..${maxLength} characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(issue.input)}`,
  });
}

/** A venue: `mt5-demo`, `icmarkets-live`, later `binance`. */
export const venueString = subjectTokenString('venue');
/** A trading account id as configured in the platform (for MT5, usually the login number). */
export const accountString = subjectTokenString('account');
/** A strategy id (one configured instance of a strategy kind). */
export const strategyIdString = subjectTokenString('strategyId');

/** A broker symbol exactly as the venue spells it (`EURUSD.m`, `US30#`); encoded for subjects by `encodeSymbol`. */
export const symbolString = z.string().min(1).max(64).refine((value) => value.trim() === value, {
  error: 'symbol must not have leading or trailing whitespace',
});

/** An opaque identifier (ULID, UUID, or a derived key). */
export const idString = z.string().min(1).max(128);

/**
 * A client order id. At most 31 characters of `A-Za-z0-9_-` so it fits the MT5 order comment,
 * which is how an order is found again in the terminal after a timeout (a ULID is 26).
 */
export const clientOrderIdString = z.string().regex(/^[A-Za-z0-9_-]{1,31}$/, {
  error: (issue) => `clientOrderId must be 1..31 characters of A-Z a-z 0-9 _ - (it rides in the MT5 comment), got ${JSON.stringify(issue.input)}`,
});

/** MT5 order comment: the trade server keeps at most 31 characters. */
export const mt5CommentString = z.string().max(31, { error: 'comment must be at most 31 characters (MT5 limit)' });

/** An MT5 ticket (order, deal or position id): an unsigned 64-bit integer, so it travels as digits. */
export const ticketString = z.string().regex(/^[0-9]{1,20}$/, {
  error: (issue) => `expected an MT5 ticket as a string of digits, got ${JSON.stringify(issue.input)}`,
});

/** Magic number the platform assigns to its own orders: a safe non-negative integer. */
export const magicNumber = z.int().nonnegative();

/**
 * A magic number observed on the venue. Foreign EAs may use any 64-bit value, which JSON turns
 * into an inexact double; those orders are never ours, so an integer-valued number is enough.
 */
export const observedMagicNumber = z.number().nonnegative().refine(Number.isInteger, { error: 'magic must be an integer' });

/** Order direction. */
export const Sides = ['BUY', 'SELL'] as const;
export type Side = (typeof Sides)[number];
export const sideSchema = z.enum(Sides);

/** Order types the platform places. */
export const OrderTypes = ['MARKET', 'LIMIT', 'STOP'] as const;
export type OrderType = (typeof OrderTypes)[number];
export const orderTypeSchema = z.enum(OrderTypes);

/** Account margin accounting: MT5 exchange mode is reported as NETTING. */
export const MarginModes = ['HEDGING', 'NETTING'] as const;
export type MarginMode = (typeof MarginModes)[number];
export const marginModeSchema = z.enum(MarginModes);

/**
 * Renders a zod error on one line (`data.volume: expected …; data.foo: Unrecognized key`),
 * fit for a log field or a NATS header (which cannot hold a newline).
 */
export function describeZodError(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...prefix, ...issue.path].map(String).join('.');
      return `${path || '(root)'}: ${issue.message}`.replace(/[\r\n]+/g, ' ');
    })
    .join('; ');
}
