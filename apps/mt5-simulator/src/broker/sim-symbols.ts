import type { InstrumentMath } from '@mt5/domain/positions';
import type { Mt5FillingMode, Mt5SymbolExecutionMode, Mt5SymbolTradeMode } from '@mt5/contracts';

/** A weekly window in server time: `day` 0 = Sunday, minutes from midnight, `toMinute` exclusive. */
export interface WeeklyWindow {
  readonly day: number;
  readonly fromMinute: number;
  readonly toMinute: number;
}

/**
 * One symbol as the simulated broker trades it: the MT5 `SymbolInfo*` contract plus what the
 * simulator needs to play the broker (spread, commission, margin rate). Satisfies the domain's
 * `InstrumentMath`, so profit and margin come from `@mt5/domain/positions`.
 */
export interface SimSymbol extends InstrumentMath {
  readonly description: string;
  readonly volumeMin: number;
  readonly volumeMax: number;
  readonly volumeStep: number;
  /** Max volume per symbol and direction, 0 = none. */
  readonly volumeLimit: number;
  /** Minimum SL/TP and pending-price distance from the market, in points. */
  readonly stopsLevel: number;
  readonly freezeLevel: number;
  /** Filling modes a market order may use (`SYMBOL_FILLING_MODE`). */
  readonly fillingModes: readonly Mt5FillingMode[];
  readonly tradeMode: Mt5SymbolTradeMode;
  readonly executionMode: Mt5SymbolExecutionMode;
  /** Trading (and quoting) windows in server time. */
  readonly sessions: readonly WeeklyWindow[];
  /** Spread when the price source does not give one, in points. */
  readonly defaultSpreadPoints: number;
  /** Commission per lot per side, in account currency (charged on every deal, in and out). */
  readonly commissionPerLot: number;
  /** Multiplier on the leverage margin (`SYMBOL_MARGIN_INITIAL` rate). */
  readonly marginRate: number;
  /** Symbol leverage where the broker sets one (crypto CFDs); otherwise the account's. */
  readonly leverage?: number;
  readonly swapLong: number;
  readonly swapShort: number;
}

const DAY_MINUTES = 1440;

/**
 * Forex week in server time (the simulator's server clock is UTC): Sunday 21:00 to Friday 24:00.
 * Wide on purpose: the shared files come in several zones (the EURUSD export is broker time) and
 * a replay must not refuse orders on real bars. Saturday is always closed.
 */
const FOREX_WEEK: readonly WeeklyWindow[] = [
  { day: 0, fromMinute: 21 * 60, toMinute: DAY_MINUTES },
  ...[1, 2, 3, 4, 5].map((day) => ({ day, fromMinute: 0, toMinute: DAY_MINUTES })),
];
const METALS_WEEK: readonly WeeklyWindow[] = [{ day: 0, fromMinute: 22 * 60, toMinute: DAY_MINUTES }, ...FOREX_WEEK.slice(1)];
/** Every minute of the week (crypto; or every symbol when sessions are switched off for a demo). */
export const ALWAYS_OPEN: readonly WeeklyWindow[] = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, fromMinute: 0, toMinute: DAY_MINUTES }));

/** 10^-digits written exactly (`10 ** -5` is 0.000009999999999999999 in binary floating point). */
const pointOf = (digits: number) => Number((10 ** -digits).toFixed(digits));

const forex = (symbol: string, description: string, base: string, quote: string, digits: number, tickValue: number, spread: number): SimSymbol => ({
  symbol, description, digits, point: pointOf(digits), tickSize: pointOf(digits), tickValue, contractSize: 100_000,
  baseCurrency: base, profitCurrency: quote, marginCurrency: base,
  volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01, volumeLimit: 0, stopsLevel: 10, freezeLevel: 0,
  fillingModes: ['FOK', 'IOC'], tradeMode: 'FULL', executionMode: 'MARKET', sessions: FOREX_WEEK,
  defaultSpreadPoints: spread, commissionPerLot: 3.5, marginRate: 1, swapLong: -6.5, swapShort: 1.2,
});

/**
 * The symbols of the shared market data, specified as a typical ECN-style MT5 broker reports
 * them for a USD account. USDJPY's tick value is the terminal's figure at 150 JPY/USD; profit is
 * converted at the closing price (`tickValueAt`). BTCUSDT settles in USDT, taken 1:1 with USD.
 */
export const DEFAULT_SIM_SYMBOLS: readonly SimSymbol[] = [
  forex('EURUSD', 'Euro vs US Dollar', 'EUR', 'USD', 5, 1, 8),
  forex('GBPUSD', 'Great Britain Pound vs US Dollar', 'GBP', 'USD', 5, 1, 12),
  forex('USDJPY', 'US Dollar vs Japanese Yen', 'USD', 'JPY', 3, (0.001 * 100_000) / 150, 10),
  {
    symbol: 'XAUUSD', description: 'Gold vs US Dollar', digits: 2, point: 0.01, tickSize: 0.01, tickValue: 1, contractSize: 100,
    baseCurrency: 'XAU', profitCurrency: 'USD', marginCurrency: 'XAU',
    volumeMin: 0.01, volumeMax: 50, volumeStep: 0.01, volumeLimit: 0, stopsLevel: 50, freezeLevel: 0,
    fillingModes: ['FOK', 'IOC'], tradeMode: 'FULL', executionMode: 'MARKET', sessions: METALS_WEEK,
    defaultSpreadPoints: 30, commissionPerLot: 3.5, marginRate: 1, swapLong: -25, swapShort: 10,
  },
  {
    symbol: 'BTCUSDT', description: 'Bitcoin vs Tether', digits: 2, point: 0.01, tickSize: 0.01, tickValue: 0.01, contractSize: 1,
    baseCurrency: 'BTC', profitCurrency: 'USDT', marginCurrency: 'BTC',
    volumeMin: 0.01, volumeMax: 10, volumeStep: 0.01, volumeLimit: 0, stopsLevel: 0, freezeLevel: 0,
    fillingModes: ['IOC'], tradeMode: 'FULL', executionMode: 'MARKET', sessions: ALWAYS_OPEN,
    defaultSpreadPoints: 1500, commissionPerLot: 0, marginRate: 1, leverage: 2, swapLong: -20, swapShort: -20,
  },
];

/** True when `serverTimeMs` falls inside one of the symbol's weekly windows. */
export function isInSession(symbol: Pick<SimSymbol, 'sessions'>, serverTimeMs: number): boolean {
  const date = new Date(serverTimeMs);
  const day = date.getUTCDay();
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  return symbol.sessions.some((window) => window.day === day && minute >= window.fromMinute && minute < window.toMinute);
}
