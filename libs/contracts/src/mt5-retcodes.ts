import type { ErrorCode } from './error-codes.js';

/**
 * What a trade-server return code means for the order that got it.
 * - `success`: the request was done (or placed, or there was nothing to change).
 * - `retryable-with-fresh-price`: safe to send again with a new price, a few times.
 * - `unknown-outcome`: the server may have executed it; never resend, query the terminal and settle.
 * - `final-rejection`: the venue refused it; the order is REJECTED.
 */
export const RetcodeClasses = ['success', 'retryable-with-fresh-price', 'unknown-outcome', 'final-rejection'] as const;
export type RetcodeClass = (typeof RetcodeClasses)[number];

export interface Mt5RetcodeInfo {
  readonly retcode: number;
  /** The MQL5 constant without its `TRADE_RETCODE_` prefix. */
  readonly name: string;
  readonly class: RetcodeClass;
  /** Paraphrase of the MQL5 reference. */
  readonly description: string;
}

type Row = readonly [name: string, retcodeClass: RetcodeClass, description: string];

/**
 * MT5 trade-server return codes (MQL5 reference, "Trade Server Return Codes"; 10037 is unused).
 * 10025 NO_CHANGES counts as success: the requested state already holds (same SL/TP).
 */
const ROWS = {
  10004: ['REQUOTE', 'retryable-with-fresh-price', 'Requote'],
  10006: ['REJECT', 'final-rejection', 'Request rejected'],
  10007: ['CANCEL', 'final-rejection', 'Request cancelled by the trader'],
  10008: ['PLACED', 'success', 'Order placed'],
  10009: ['DONE', 'success', 'Request completed'],
  10010: ['DONE_PARTIAL', 'success', 'Only part of the request was completed'],
  10011: ['ERROR', 'final-rejection', 'Request processing error'],
  10012: ['TIMEOUT', 'unknown-outcome', 'Request cancelled by timeout'],
  10013: ['INVALID', 'final-rejection', 'Invalid request'],
  10014: ['INVALID_VOLUME', 'final-rejection', 'Invalid volume in the request'],
  10015: ['INVALID_PRICE', 'final-rejection', 'Invalid price in the request'],
  10016: ['INVALID_STOPS', 'final-rejection', 'Invalid stops in the request'],
  10017: ['TRADE_DISABLED', 'final-rejection', 'Trading is disabled'],
  10018: ['MARKET_CLOSED', 'final-rejection', 'Market is closed'],
  10019: ['NO_MONEY', 'final-rejection', 'Not enough money to complete the request'],
  10020: ['PRICE_CHANGED', 'retryable-with-fresh-price', 'Prices changed'],
  10021: ['PRICE_OFF', 'retryable-with-fresh-price', 'No quotes to process the request'],
  10022: ['INVALID_EXPIRATION', 'final-rejection', 'Invalid order expiration date in the request'],
  10023: ['ORDER_CHANGED', 'final-rejection', 'Order state changed'],
  10024: ['TOO_MANY_REQUESTS', 'final-rejection', 'Too frequent requests'],
  10025: ['NO_CHANGES', 'success', 'No changes in the request'],
  10026: ['SERVER_DISABLES_AT', 'final-rejection', 'Autotrading disabled by the server'],
  10027: ['CLIENT_DISABLES_AT', 'final-rejection', 'Autotrading disabled by the client terminal'],
  10028: ['LOCKED', 'final-rejection', 'Request locked for processing'],
  10029: ['FROZEN', 'final-rejection', 'Order or position frozen'],
  10030: ['INVALID_FILL', 'final-rejection', 'Invalid order filling type'],
  10031: ['CONNECTION', 'unknown-outcome', 'No connection with the trade server'],
  10032: ['ONLY_REAL', 'final-rejection', 'Operation allowed only for live accounts'],
  10033: ['LIMIT_ORDERS', 'final-rejection', 'Pending order limit reached'],
  10034: ['LIMIT_VOLUME', 'final-rejection', 'Order and position volume limit for the symbol reached'],
  10035: ['INVALID_ORDER', 'final-rejection', 'Incorrect or prohibited order type'],
  10036: ['POSITION_CLOSED', 'final-rejection', 'Position with this identifier is already closed'],
  10038: ['INVALID_CLOSE_VOLUME', 'final-rejection', 'Close volume exceeds the position volume'],
  10039: ['CLOSE_ORDER_EXIST', 'final-rejection', 'A close order already exists for the position'],
  10040: ['LIMIT_POSITIONS', 'final-rejection', 'Open position limit for the account reached'],
  10041: ['REJECT_CANCEL', 'final-rejection', 'Pending order activation rejected, order cancelled'],
  10042: ['LONG_ONLY', 'final-rejection', 'Only long positions are allowed for the symbol'],
  10043: ['SHORT_ONLY', 'final-rejection', 'Only short positions are allowed for the symbol'],
  10044: ['CLOSE_ONLY', 'final-rejection', 'Only position closing is allowed for the symbol'],
  10045: ['FIFO_CLOSE', 'final-rejection', 'Positions may only be closed by the FIFO rule'],
  10046: ['HEDGE_PROHIBITED', 'final-rejection', 'Opposite positions on one symbol are disabled for the account'],
} as const satisfies Record<number, Row>;

/** Names of the known retcodes. */
export type Mt5RetcodeName = (typeof ROWS)[keyof typeof ROWS][0];

/** The table, keyed by retcode. */
export const Mt5Retcodes: Readonly<Record<number, Mt5RetcodeInfo>> = Object.fromEntries(
  Object.entries(ROWS as Record<string, Row>).map(([code, [name, retcodeClass, description]]) => [
    code,
    { retcode: Number(code), name, class: retcodeClass, description },
  ]),
);

/** Retcode constants by name, for code that sends or simulates them (`Mt5Retcode.DONE === 10009`). */
export const Mt5Retcode = Object.fromEntries(Object.values(Mt5Retcodes).map((info) => [info.name, info.retcode])) as {
  readonly [N in Mt5RetcodeName]: number;
};

/**
 * Looks up a retcode. An unlisted code is classed `unknown-outcome`: a code this table does not
 * know must not be taken as "nothing happened", so the order is settled by querying the terminal.
 */
export function mt5RetcodeInfo(retcode: number): Mt5RetcodeInfo {
  return Mt5Retcodes[retcode] ?? { retcode, name: `UNKNOWN_${retcode}`, class: 'unknown-outcome', description: 'Retcode not in the MQL5 table' };
}

export function classifyRetcode(retcode: number): RetcodeClass {
  return mt5RetcodeInfo(retcode).class;
}

/** The platform error code an unsuccessful retcode maps to; null for success. */
export function retcodeErrorCode(retcode: number): ErrorCode | null {
  switch (classifyRetcode(retcode)) {
    case 'success':
      return null;
    case 'retryable-with-fresh-price':
      return 'EXEC.REQUOTE';
    case 'unknown-outcome':
      return 'EXEC.OUTCOME_UNKNOWN';
    case 'final-rejection':
      return 'EXEC.VENUE_REJECTED';
  }
}
