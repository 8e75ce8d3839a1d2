import { Mt5Retcode, type Mt5FillingMode, type Mt5OrderType, type Mt5TradeAction, type Side } from '@mt5/contracts';
import { isOnStep } from '@mt5/domain/positions';
import type { SimQuote } from './broker.types.js';
import type { SimSymbol } from './sim-symbols.js';

/** Why the broker refused a request: an MT5 retcode and the comment the terminal shows. */
export interface Refusal {
  readonly retcode: number;
  readonly comment: string;
}

const refuse = (retcode: number, comment: string): Refusal => ({ retcode, comment });

/** Whole points between two prices (sign kept), immune to float noise. */
export function pointsBetween(symbol: Pick<SimSymbol, 'point'>, from: number, to: number): number {
  return Math.round((to - from) / symbol.point);
}

/** 10014 when the volume is under the minimum, over the maximum or off the step. */
export function checkVolume(symbol: SimSymbol, volume: number): Refusal | null {
  if (volume < symbol.volumeMin - 1e-9 || volume > symbol.volumeMax + 1e-9 || !isOnStep(volume, symbol.volumeStep)) {
    return refuse(Mt5Retcode.INVALID_VOLUME, `Invalid volume ${volume} (min ${symbol.volumeMin}, max ${symbol.volumeMax}, step ${symbol.volumeStep})`);
  }
  return null;
}

/**
 * 10030 when the filling mode is not allowed: a market order must use one of the symbol's modes;
 * a pending order may also use RETURN, which every symbol accepts for orders that wait in the book.
 */
export function checkFilling(symbol: SimSymbol, action: Mt5TradeAction, filling: Mt5FillingMode | undefined): Refusal | null {
  const mode = filling ?? 'FOK';
  const allowed = action === 'PENDING' ? [...symbol.fillingModes, 'RETURN'] : symbol.fillingModes;
  return allowed.includes(mode) ? null : refuse(Mt5Retcode.INVALID_FILL, `Unsupported filling mode ${mode} (allowed: ${symbol.fillingModes.join(', ')})`);
}

/**
 * 10016 when a stop is on the wrong side of `basePrice` or nearer than the stops level (at least
 * one point). `basePrice` is where the position would close now (bid for a buy, ask for a sell)
 * for market orders and positions, or the order price for pending orders.
 */
export function checkStops(symbol: SimSymbol, side: Side, basePrice: number, sl: number | undefined, tp: number | undefined): Refusal | null {
  const minimum = Math.max(symbol.stopsLevel, 1);
  const direction = side === 'BUY' ? 1 : -1;
  if (sl && sl > 0 && pointsBetween(symbol, sl, basePrice) * direction < minimum) {
    return refuse(Mt5Retcode.INVALID_STOPS, `Invalid stops: sl ${sl} must be ${minimum} points ${side === 'BUY' ? 'below' : 'above'} ${basePrice}`);
  }
  if (tp && tp > 0 && pointsBetween(symbol, basePrice, tp) * direction < minimum) {
    return refuse(Mt5Retcode.INVALID_STOPS, `Invalid stops: tp ${tp} must be ${minimum} points ${side === 'BUY' ? 'above' : 'below'} ${basePrice}`);
  }
  return null;
}

/** Pending order types the simulator supports, with their side and trigger direction. */
export const PendingKinds: Partial<Record<Mt5OrderType, { readonly side: Side; readonly kind: 'limit' | 'stop' }>> = {
  BUY_LIMIT: { side: 'BUY', kind: 'limit' },
  SELL_LIMIT: { side: 'SELL', kind: 'limit' },
  BUY_STOP: { side: 'BUY', kind: 'stop' },
  SELL_STOP: { side: 'SELL', kind: 'stop' },
};

/**
 * 10015 when a pending price is on the wrong side of the market or inside the stops level: a buy
 * limit below the ask, a sell limit above the bid, a buy stop above the ask, a sell stop below the
 * bid, each by at least the stops level (one point minimum).
 */
export function checkPendingPrice(symbol: SimSymbol, type: Mt5OrderType, price: number, quote: SimQuote): Refusal | null {
  const pending = PendingKinds[type];
  if (!pending) return refuse(Mt5Retcode.INVALID_ORDER, `Order type ${type} is not supported for pending orders`);
  const market = pending.side === 'BUY' ? quote.ask : quote.bid;
  const below = pointsBetween(symbol, price, market);
  const distance = (pending.kind === 'limit') === (pending.side === 'BUY') ? below : -below;
  const minimum = Math.max(symbol.stopsLevel, 1);
  if (!(price > 0) || distance < minimum) {
    return refuse(Mt5Retcode.INVALID_PRICE, `Invalid price ${price} for ${type}: market ${market}, stops level ${symbol.stopsLevel} points`);
  }
  return null;
}

/** True when a pending order's trigger condition holds at this quote. */
export function pendingTriggered(type: Mt5OrderType, price: number, quote: SimQuote): boolean {
  switch (type) {
    case 'BUY_LIMIT':
      return quote.ask <= price;
    case 'SELL_LIMIT':
      return quote.bid >= price;
    case 'BUY_STOP':
      return quote.ask >= price;
    case 'SELL_STOP':
      return quote.bid <= price;
    default:
      return false;
  }
}
