import type { BridgeBody, BridgePosition, SymbolSpec } from '@mt5/contracts';
import { floatingProfit, roundMoney } from '../broker/account-math.js';
import type { SimPosition, SimQuote } from '../broker/broker.types.js';
import type { SimBroker } from '../broker/sim-broker.js';
import type { SimSymbol } from '../broker/sim-symbols.js';

/** The broker's symbol as `SymbolInfo*` reports it; quote and trade sessions are the same windows. */
export function toSymbolSpec(symbol: SimSymbol): SymbolSpec {
  const sessions = symbol.sessions.map(({ day, fromMinute, toMinute }) => ({ day, fromMinute, toMinute }));
  return {
    symbol: symbol.symbol, description: symbol.description, digits: symbol.digits, point: symbol.point, tickSize: symbol.tickSize,
    tickValue: symbol.tickValue, contractSize: symbol.contractSize, volumeMin: symbol.volumeMin, volumeMax: symbol.volumeMax,
    volumeStep: symbol.volumeStep, volumeLimit: symbol.volumeLimit, stopsLevel: symbol.stopsLevel, freezeLevel: symbol.freezeLevel,
    fillingModes: [...symbol.fillingModes], tradeMode: symbol.tradeMode, executionMode: symbol.executionMode,
    sessions: { quote: sessions, trade: sessions },
    currencyBase: symbol.baseCurrency, currencyProfit: symbol.profitCurrency, currencyMargin: symbol.marginCurrency,
    swapLong: symbol.swapLong, swapShort: symbol.swapShort,
  };
}

export function toBridgePosition(position: SimPosition, symbol: SimSymbol, quote: SimQuote | undefined, currency: string): BridgePosition {
  const priceCurrent = quote ? (position.side === 'BUY' ? quote.bid : quote.ask) : position.openPrice;
  return {
    ticket: position.ticket, identifier: position.positionId, symbol: position.symbol, type: position.side, volume: position.volume,
    priceOpen: position.openPrice, priceCurrent, sl: position.sl, tp: position.tp,
    profit: roundMoney(floatingProfit(symbol, position, quote, currency)), swap: 0, time: position.openTime, timeUpdate: position.timeUpdate,
    magic: position.magic, comment: position.comment,
  };
}

export function toAccountBody(broker: SimBroker): BridgeBody<'account'> {
  const state = broker.accountState();
  const { login, currency, marginMode, leverage } = broker.account;
  return {
    login, currency, balance: state.balance, equity: state.equity, margin: state.margin, freeMargin: state.freeMargin,
    marginLevel: state.marginLevel, marginMode, leverage, tradeAllowed: true, time: broker.serverTime,
  };
}
