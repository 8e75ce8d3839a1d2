import type { AccountSnapshot, BridgeBody, BridgeDeal, BridgePosition, Deal } from '@mt5/contracts';
import type { PositionRecord } from '../orders/order.types.js';
import { toDecimalString, toMoneyString, toOptionalPrice, toVolumeString } from './decimals.js';

/*
 * Terminal (bridge) values to bus values: numbers to decimal strings with the symbol's digits,
 * broker server time to UTC ISO strings, MT5's 0 for "none" to null.
 */

type ToUtc = (serverMs: number) => number;
const iso = (toUtc: ToUtc, serverMs: number) => new Date(toUtc(serverMs)).toISOString();

/** Only BUY and SELL deals with volume trade; balance, credit and charges are not fills. */
export function isTradeDeal(deal: BridgeDeal): deal is BridgeDeal & { type: 'BUY' | 'SELL' } {
  return (deal.type === 'BUY' || deal.type === 'SELL') && deal.volume > 0 && deal.symbol !== '';
}

export function toDeal(account: string, deal: BridgeDeal & { type: 'BUY' | 'SELL' }, clientOrderId: string | null, toUtc: ToUtc, digits?: number): Deal {
  return {
    account, dealTicket: deal.ticket, orderTicket: deal.order, positionId: deal.positionId, clientOrderId, symbol: deal.symbol,
    side: deal.type, entry: deal.entry, volume: toVolumeString(deal.volume), price: toDecimalString(deal.price, digits),
    commission: toMoneyString(deal.commission), swap: toMoneyString(deal.swap), profit: toMoneyString(deal.profit),
    ...(deal.fee !== 0 ? { fee: toMoneyString(deal.fee) } : {}),
    time: iso(toUtc, deal.time), magic: deal.magic, comment: deal.comment, reason: deal.reason,
  };
}

export function toPositionRecord(
  account: string, position: BridgePosition, external: boolean, strategyId: string | null, toUtc: ToUtc, digits?: number,
): PositionRecord {
  return {
    account, positionId: position.identifier, symbol: position.symbol, side: position.type, volume: toVolumeString(position.volume),
    openPrice: toDecimalString(position.priceOpen, digits), currentPrice: toDecimalString(position.priceCurrent, digits),
    stopLoss: toOptionalPrice(position.sl, digits), takeProfit: toOptionalPrice(position.tp, digits),
    profit: toMoneyString(position.profit), swap: toMoneyString(position.swap), openTime: iso(toUtc, position.time),
    magic: position.magic, comment: position.comment, external, strategyId,
    snapshotTime: iso(toUtc, Math.max(position.timeUpdate, position.time)),
  };
}

export function toAccountSnapshot(account: string, body: BridgeBody<'account'>, openPositions: number, toUtc: ToUtc): AccountSnapshot {
  const currency = /^[A-Z]{3,6}$/.test(body.currency) ? body.currency : body.currency.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 6).padEnd(3, 'X');
  return {
    account, currency, balance: toMoneyString(body.balance), equity: toMoneyString(body.equity), margin: toMoneyString(Math.max(0, body.margin)),
    freeMargin: toMoneyString(body.freeMargin), marginLevel: body.marginLevel === null ? null : toDecimalString(body.marginLevel, 2),
    marginMode: body.marginMode, openPositions, time: iso(toUtc, body.time),
  };
}
