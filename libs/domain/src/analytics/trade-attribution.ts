import type { DealReason } from '@mt5/contracts';

/** Strategy key of trades that carry no magic number (opened by hand in the terminal). */
export const MANUAL_STRATEGY = 'manual';

/**
 * Which strategy a position belongs to, from the magic number of the deal that opened it: the
 * configured strategy for that magic (`magicToStrategy`), `manual` for magic 0, and
 * `magic-<n>` for a magic nobody configured (another EA), so such trades still group together.
 * Never empty: the empty string is reserved for roll-up rows of daily performance.
 */
export function strategyKeyOf(magic: number, magicToStrategy: ReadonlyMap<number, string>): string {
  const configured = magicToStrategy.get(magic);
  if (configured) return configured;
  return magic === 0 ? MANUAL_STRATEGY : `magic-${magic}`;
}

/** Exit reasons of trades, from the closing deal's MT5 reason. */
export const ExitReasons = {
  SL: 'SL',
  TP: 'TP',
  SO: 'SO',
  STRATEGY: 'STRATEGY',
  MANUAL: 'MANUAL',
} as const;

/**
 * The exit reason of a trade: SL, TP and SO (stop out) as the broker booked them; STRATEGY for a
 * close sent by an expert (this platform's strategies, risk and flatten commands); MANUAL for a
 * close from the desktop, mobile or web terminal; the MT5 reason itself otherwise.
 */
export function exitReasonOf(reason: DealReason): string {
  switch (reason) {
    case 'SL':
    case 'TP':
    case 'SO':
      return reason;
    case 'EXPERT':
      return ExitReasons.STRATEGY;
    case 'CLIENT':
    case 'MOBILE':
    case 'WEB':
      return ExitReasons.MANUAL;
    default:
      return reason;
  }
}

/**
 * Quote digits of a symbol when no instrument specification is at hand: JPY crosses 3, gold 2,
 * silver 3, other six-letter currency pairs 5 (an optional broker suffix such as `.m` or `#` is
 * ignored). Null for anything else (indices, crypto): their pips are not reported rather than
 * guessed.
 */
export function guessQuoteDigits(symbol: string): number | null {
  const core = symbol.toUpperCase().match(/^[A-Z]{6}/)?.[0];
  if (!core) return null;
  if (core.startsWith('XAU')) return 2;
  if (core.startsWith('XAG')) return 3;
  if (!/^(USD|EUR|GBP|JPY|CHF|AUD|NZD|CAD|SEK|NOK|DKK|SGD|HKD|ZAR|MXN|PLN|TRY|CNH)(USD|EUR|GBP|JPY|CHF|AUD|NZD|CAD|SEK|NOK|DKK|SGD|HKD|ZAR|MXN|PLN|TRY|CNH)$/.test(core)) return null;
  return core.endsWith('JPY') ? 3 : 5;
}

/** Quote digits and point of a symbol, enough for the positions library's pip rule. */
export interface QuoteDigits {
  readonly digits: number;
  readonly point: number;
}

/**
 * Quote digits of a symbol: configured digits when present, else {@link guessQuoteDigits}; null
 * when neither knows the symbol (its trades then have no pips).
 */
export function quoteDigitsOf(symbol: string, configuredDigits: ReadonlyMap<string, number> = new Map()): QuoteDigits | null {
  const digits = configuredDigits.get(symbol) ?? guessQuoteDigits(symbol);
  return digits === null ? null : { digits, point: 10 ** -digits };
}
