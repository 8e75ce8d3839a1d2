import { z } from 'zod';

/**
 * MT5 enumerations as they appear in bridge frames: the MQL5 constant without its prefix
 * (`ORDER_TYPE_BUY_LIMIT` → `BUY_LIMIT`). The EA maps each enum value to these names, so frames
 * stay readable in logs and independent of MQL5's integer values.
 */

/** `ENUM_ORDER_TYPE`. */
export const Mt5OrderTypes = [
  'BUY', 'SELL', 'BUY_LIMIT', 'SELL_LIMIT', 'BUY_STOP', 'SELL_STOP', 'BUY_STOP_LIMIT', 'SELL_STOP_LIMIT', 'CLOSE_BY',
] as const;
export type Mt5OrderType = (typeof Mt5OrderTypes)[number];
export const mt5OrderTypeSchema = z.enum(Mt5OrderTypes);

/** `ENUM_ORDER_STATE`. */
export const Mt5OrderStates = [
  'STARTED', 'PLACED', 'CANCELED', 'PARTIAL', 'FILLED', 'REJECTED', 'EXPIRED', 'REQUEST_ADD', 'REQUEST_MODIFY', 'REQUEST_CANCEL',
] as const;
export type Mt5OrderState = (typeof Mt5OrderStates)[number];
export const mt5OrderStateSchema = z.enum(Mt5OrderStates);

/** `ENUM_ORDER_TYPE_FILLING` (BOC: book-or-cancel, exchange symbols only). */
export const Mt5FillingModes = ['FOK', 'IOC', 'RETURN', 'BOC'] as const;
export type Mt5FillingMode = (typeof Mt5FillingModes)[number];
export const mt5FillingModeSchema = z.enum(Mt5FillingModes);

/** `ENUM_ORDER_TYPE_TIME`. */
export const Mt5OrderTimeTypes = ['GTC', 'DAY', 'SPECIFIED', 'SPECIFIED_DAY'] as const;
export type Mt5OrderTimeType = (typeof Mt5OrderTimeTypes)[number];
export const mt5OrderTimeTypeSchema = z.enum(Mt5OrderTimeTypes);

/** `ENUM_TRADE_REQUEST_ACTIONS`. */
export const Mt5TradeActions = ['DEAL', 'PENDING', 'SLTP', 'MODIFY', 'REMOVE', 'CLOSE_BY'] as const;
export type Mt5TradeAction = (typeof Mt5TradeActions)[number];
export const mt5TradeActionSchema = z.enum(Mt5TradeActions);

/** `ENUM_DEAL_TYPE`: BUY and SELL are trades; the rest are balance operations and charges. */
export const Mt5DealTypes = [
  'BUY', 'SELL', 'BALANCE', 'CREDIT', 'CHARGE', 'CORRECTION', 'BONUS', 'COMMISSION', 'COMMISSION_DAILY',
  'COMMISSION_MONTHLY', 'COMMISSION_AGENT_DAILY', 'COMMISSION_AGENT_MONTHLY', 'INTEREST', 'BUY_CANCELED',
  'SELL_CANCELED', 'DIVIDEND', 'DIVIDEND_FRANKED', 'TAX',
] as const;
export type Mt5DealType = (typeof Mt5DealTypes)[number];
export const mt5DealTypeSchema = z.enum(Mt5DealTypes);

/** `ENUM_DEAL_ENTRY`. */
export const Mt5DealEntries = ['IN', 'OUT', 'INOUT', 'OUT_BY'] as const;
export const mt5DealEntrySchema = z.enum(Mt5DealEntries);

/** `ENUM_DEAL_REASON`. */
export const Mt5DealReasons = [
  'CLIENT', 'MOBILE', 'WEB', 'EXPERT', 'SL', 'TP', 'SO', 'ROLLOVER', 'VMARGIN', 'SPLIT', 'CORPORATE_ACTION',
] as const;
export const mt5DealReasonSchema = z.enum(Mt5DealReasons);

/** `ENUM_SYMBOL_TRADE_MODE`. */
export const Mt5SymbolTradeModes = ['DISABLED', 'LONG_ONLY', 'SHORT_ONLY', 'CLOSE_ONLY', 'FULL'] as const;
export type Mt5SymbolTradeMode = (typeof Mt5SymbolTradeModes)[number];

/** `ENUM_SYMBOL_TRADE_EXECUTION`. */
export const Mt5SymbolExecutionModes = ['REQUEST', 'INSTANT', 'MARKET', 'EXCHANGE'] as const;
export type Mt5SymbolExecutionMode = (typeof Mt5SymbolExecutionModes)[number];

/** `ENUM_TRADE_TRANSACTION_TYPE`. */
export const Mt5TradeTransactionTypes = [
  'ORDER_ADD', 'ORDER_UPDATE', 'ORDER_DELETE', 'DEAL_ADD', 'DEAL_UPDATE', 'DEAL_DELETE',
  'HISTORY_ADD', 'HISTORY_UPDATE', 'HISTORY_DELETE', 'POSITION', 'REQUEST',
] as const;
export type Mt5TradeTransactionType = (typeof Mt5TradeTransactionTypes)[number];
export const mt5TradeTransactionTypeSchema = z.enum(Mt5TradeTransactionTypes);

/**
 * Account margin mode. MT5 `ACCOUNT_MARGIN_MODE_EXCHANGE` is netting for our purposes, so the EA
 * sends NETTING for it.
 */
export const Mt5MarginModes = ['HEDGING', 'NETTING'] as const;
export const mt5MarginModeSchema = z.enum(Mt5MarginModes);
