import type { InstrumentMath } from './instrument-math.types.js';
import { isAccountMoney } from './profit.js';

/**
 * Rate that turns an amount in the instrument's profit currency into the account currency.
 * Same three cases as `accountTickValue`: 1 when they are the same currency, `1 / price` when the base
 * is the account currency (JPY → USD on USDJPY), and otherwise the rate implied by the venue's
 * tick value (`tickValue / (tickSize * contractSize)`), which is as old as the spec.
 */
export function profitToAccountRate(instrument: InstrumentMath, price: number, accountCurrency: string): number {
  if (isAccountMoney(instrument.profitCurrency, accountCurrency)) return 1;
  if (!(price > 0)) throw new Error(`profitToAccountRate(${instrument.symbol}): invalid price ${price}`);
  if (isAccountMoney(instrument.baseCurrency, accountCurrency)) return 1 / price;
  return instrument.tickValue / (instrument.tickSize * instrument.contractSize);
}

/**
 * Face value of `volume` lots at `price`, in account currency: `contractSize * volume * price`
 * (in the profit currency) converted with {@link profitToAccountRate}. One lot of EURUSD at 1.1 on
 * a USD account is 110 000; one lot of USDJPY at any price is 100 000 (its base is the account
 * currency); one lot of XAUUSD at 2 000 is 200 000.
 */
export function notionalValue(instrument: InstrumentMath, volume: number, price: number, accountCurrency: string): number {
  return instrument.contractSize * volume * price * profitToAccountRate(instrument, price, accountCurrency);
}

/**
 * Margin that `volume` lots at `price` tie up, in account currency: `notional / leverage`, where
 * the instrument's own leverage (CFDs, crypto) wins over the account's. The symbol's margin rate
 * is not applied here: callers multiply by it (the simulator's `marginFor` and risk's
 * `marginCheck` do), so it is applied exactly once.
 *
 * This is MT5's "Forex" calculation (`lots * contractSize / leverage` in the margin currency,
 * converted at the current rate) and its "CFD leverage" one (`lots * contractSize * price /
 * leverage`); both reduce to the same figure once converted. Exchange and futures calculation
 * modes and the reduced margin of hedged pairs are not modelled: the figure errs on the side of
 * more margin, which is the safe side for a pre-trade check.
 */
export function requiredMargin(
  instrument: InstrumentMath,
  volume: number,
  price: number,
  leverage: number,
  accountCurrency: string,
): number {
  const effectiveLeverage = instrument.leverage ?? leverage;
  if (!(effectiveLeverage > 0)) throw new Error(`requiredMargin: invalid leverage ${effectiveLeverage}`);
  return notionalValue(instrument, volume, price, accountCurrency) / effectiveLeverage;
}
