import type { Mt5FillingMode, Mt5OrderType, SymbolSpec, TradeRequestBody } from '@mt5/contracts';
import { toDecimalString } from '../mapping/decimals.js';
import type { Quote } from '../session/market-state.js';
import type { OrderRecord } from '../orders/order.types.js';

/** Order to MT5 `MqlTradeRequest`, plus the price sent (for the SUBMITTED event). */
export interface MappedTradeRequest {
  readonly request: TradeRequestBody;
  readonly sentPrice: string | null;
}

const PENDING_TYPES: Record<'LIMIT' | 'STOP', Record<'BUY' | 'SELL', Mt5OrderType>> = {
  LIMIT: { BUY: 'BUY_LIMIT', SELL: 'SELL_LIMIT' },
  STOP: { BUY: 'BUY_STOP', SELL: 'SELL_STOP' },
};

/**
 * The filling mode a market order uses: FOK when the symbol allows it (all or nothing, so one
 * request is one fill), else IOC, else what the symbol lists first. Unknown spec: FOK, the mode
 * every MT5 server accepts for market execution unless configured otherwise.
 */
export function marketFilling(spec: SymbolSpec | undefined): Mt5FillingMode {
  const modes = spec?.fillingModes ?? ['FOK'];
  if (modes.includes('FOK')) return 'FOK';
  if (modes.includes('IOC')) return 'IOC';
  return modes[0] ?? 'FOK';
}

/**
 * Builds the trade request for one send of `order`. A market order carries the freshest known
 * price of its side (ask to buy, bid to sell; instant execution needs it, market execution ignores
 * it) and `deviation`; a closing order names the position; pending orders rest GTC with RETURN.
 */
export function tradeRequestFor(order: OrderRecord, context: { spec?: SymbolSpec; quote?: Quote; deviationPoints: number }): MappedTradeRequest {
  const digits = context.spec?.digits;
  const stops = {
    ...(order.stopLoss ? { sl: Number(order.stopLoss) } : {}),
    ...(order.takeProfit ? { tp: Number(order.takeProfit) } : {}),
  };
  const common = { symbol: order.symbol, volume: Number(order.volume), magic: order.magic, comment: order.comment };
  if (order.orderType === 'MARKET') {
    const price = context.quote ? (order.side === 'BUY' ? context.quote.ask : context.quote.bid) : undefined;
    const closes = order.origin.closesPosition;
    const request: TradeRequestBody = {
      action: 'DEAL', ...common, type: order.side, typeFilling: marketFilling(context.spec), deviation: context.deviationPoints,
      ...(price === undefined ? {} : { price }),
      ...(closes ? { position: closes } : stops),
    };
    return { request, sentPrice: price === undefined ? null : toDecimalString(price, digits) };
  }
  if (order.price === null) throw new Error(`order ${order.clientOrderId}: a ${order.orderType} order needs a price`);
  const request: TradeRequestBody = {
    action: 'PENDING', ...common, type: PENDING_TYPES[order.orderType][order.side], price: Number(order.price),
    typeFilling: 'RETURN', typeTime: 'GTC', ...stops,
  };
  return { request, sentPrice: order.price };
}
