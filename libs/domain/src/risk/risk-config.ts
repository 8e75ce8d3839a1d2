/**
 * Risk limits of one account. Plain data: the service validates it at boot (zod, in the app) and
 * may store it beside the decisions it produced. Money is in account currency; times in ms.
 */
export interface RiskConfig {
  /** Share of equity one trade may lose at its stop, in percent (1 = 1%). */
  readonly riskPercentPerTrade: number;
  /** When false, an opening order without a stop loss is denied (RISK.NO_STOP_LOSS). */
  readonly allowNoStopLoss: boolean;
  /** Largest volume of one order, in lots. */
  readonly maxLotsPerOrder: number;
  /** Most open positions on the account (a netting account holds at most one per symbol). */
  readonly maxOpenPositions: number;
  readonly maxOpenPositionsPerSymbol: number;
  /** Largest net exposure to one currency, valued in account currency; null for no limit. */
  readonly maxCurrencyExposure: number | null;
  /** Per-currency overrides of `maxCurrencyExposure` (`{ JPY: 50000 }`). */
  readonly currencyExposureLimits: Readonly<Record<string, number>>;
  /**
   * The deposit currency is not a foreign-exchange risk to its own account, so by default the
   * exposure limit skips it (a USD account holding EURUSD and USDJPY is "short USD" twice).
   */
  readonly limitAccountCurrencyExposure: boolean;
  /** Free margin that must remain after the order's margin is taken. */
  readonly minFreeMarginAfterOrder: number;
  /** Margin level (equity / margin, %) the account must keep after the order; null to skip. */
  readonly minMarginLevelPercent: number | null;
  /** Widest spread, in points, an opening market order accepts. */
  readonly maxSpreadPoints: number;
  readonly maxSpreadPointsBySymbol: Readonly<Record<string, number>>;
  /** Oldest quote an order may be priced and sized from. */
  readonly maxQuoteAgeMs: number;
  /** Oldest account snapshot an order may be sized and vetted against. */
  readonly maxAccountSnapshotAgeMs: number;
}

/** Conservative defaults: 1% per trade, stops required, small order and position limits. */
export const defaultRiskConfig: RiskConfig = {
  riskPercentPerTrade: 1,
  allowNoStopLoss: false,
  maxLotsPerOrder: 2,
  maxOpenPositions: 10,
  maxOpenPositionsPerSymbol: 3,
  maxCurrencyExposure: null,
  currencyExposureLimits: {},
  limitAccountCurrencyExposure: false,
  minFreeMarginAfterOrder: 0,
  minMarginLevelPercent: null,
  maxSpreadPoints: 30,
  maxSpreadPointsBySymbol: {},
  maxQuoteAgeMs: 10_000,
  maxAccountSnapshotAgeMs: 60_000,
};
