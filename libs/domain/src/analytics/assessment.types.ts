/** The four parts of an assessment, in the order they are written. */
export const FindingKinds = ['strength', 'weakness', 'risk', 'recommendation'] as const;
export type FindingKind = (typeof FindingKinds)[number];

export const Priorities = ['high', 'medium', 'low'] as const;
export type Priority = (typeof Priorities)[number];

/** One statement of an assessment, with the figures that triggered it. */
export interface Finding {
  readonly kind: FindingKind;
  /** Stable rule code (`PROFIT_FACTOR_BELOW_ONE`); the same history always yields the same codes. */
  readonly code: string;
  readonly priority: Priority;
  /** One sentence, figures included, formatted without locale. */
  readonly text: string;
  /** The figures behind it as formatted strings, in a fixed order (`profitFactor: "0.84"`). */
  readonly figures: Readonly<Record<string, string>>;
}

/**
 * Thresholds of the assessment rules. Documented in docs/reporting.md; change them there and
 * here together.
 */
export interface AssessmentThresholds {
  /** Fewer closed trades than this: every conclusion is flagged as tentative. */
  readonly minTrades: number;
  /** Profit factor at or above this is a strength. */
  readonly strongProfitFactor: number;
  /** Profit factor below this (but ≥ 1) is a thin edge. */
  readonly thinProfitFactor: number;
  /** Win rate (0..1) at or above this is a strength. */
  readonly highWinRate: number;
  /** Payoff ratio (average win / |average loss|) at or above this is a strength. */
  readonly strongPayoff: number;
  /** Payoff ratio below this is a weakness. */
  readonly weakPayoff: number;
  /** Average R at or above this is a strength. */
  readonly strongAverageR: number;
  /** Max drawdown percent at or above this is a medium risk ... */
  readonly drawdownPercentMedium: number;
  /** ... and at or above this a high one. */
  readonly drawdownPercentHigh: number;
  /** An unrecovered drawdown at or above this percent is reported as ongoing. */
  readonly ongoingDrawdownPercent: number;
  /** Recovery factor (net / max drawdown) at or above this is a strength, below 1 a risk. */
  readonly strongRecoveryFactor: number;
  /** Losing streak at or above this is a medium risk ... */
  readonly losingStreakMedium: number;
  /** ... and at or above this a high one. */
  readonly losingStreakHigh: number;
  /** Largest loss beyond this multiple of the average loss is an outlier. */
  readonly outlierLossMultiple: number;
  /** Outliers are judged only with at least this many losing trades. */
  readonly outlierMinLosses: number;
  /** Daily-return ratios are judged only over at least this many days. */
  readonly minReturnDays: number;
  readonly strongSharpe: number;
  readonly weakSharpe: number;
  /** Costs (commission, swap, fees) at or above this share of the price profit are a weakness. */
  readonly highCostShare: number;
  /** Share of the period with a position open at or above this is a (low) risk. */
  readonly highExposure: number;
  /** A strategy or symbol is singled out only with at least this many trades. */
  readonly minGroupTrades: number;
  /** An entry hour is singled out only with at least this many trades. */
  readonly minHourTrades: number;
  /** At most this many groups (symbols, strategies, hours) are named in one finding. */
  readonly maxNamedGroups: number;
}

export const DEFAULT_ASSESSMENT_THRESHOLDS: AssessmentThresholds = {
  minTrades: 30,
  strongProfitFactor: 1.5,
  thinProfitFactor: 1.2,
  highWinRate: 0.6,
  strongPayoff: 2,
  weakPayoff: 0.8,
  strongAverageR: 0.3,
  drawdownPercentMedium: 10,
  drawdownPercentHigh: 20,
  ongoingDrawdownPercent: 5,
  strongRecoveryFactor: 3,
  losingStreakMedium: 5,
  losingStreakHigh: 8,
  outlierLossMultiple: 3,
  outlierMinLosses: 3,
  minReturnDays: 20,
  strongSharpe: 1.5,
  weakSharpe: 0.5,
  highCostShare: 0.3,
  highExposure: 0.8,
  minGroupTrades: 10,
  minHourTrades: 5,
  maxNamedGroups: 3,
};

/** What is assessed: an account, optionally narrowed to one strategy, over a period. */
export interface AssessmentSubject {
  readonly account: string;
  readonly strategyId?: string;
  readonly from: number | null;
  readonly to: number | null;
}

export interface Assessment {
  readonly subject: AssessmentSubject;
  readonly findings: readonly Finding[];
  /** The findings as plain text, headed by the subject; identical for identical history. */
  readonly text: string;
}
