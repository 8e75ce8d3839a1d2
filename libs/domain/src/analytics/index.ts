// Trade analytics for reporting (and, later, the backtester's report): deals into round trips,
// summaries, drawdowns with dates, daily risk ratios, breakdowns, daily performance rows, the
// written assessment and SVG charts. Statistics the performance library already defines (win
// rate, profit factor, max drawdown, Sharpe) are taken from there, not redefined.
export * from './analytics.types.js';
export * from './money.js';
export * from './trade-attribution.js';
export * from './round-trips.js';
export * from './trade-summary.js';
export * from './drawdown-episodes.js';
export * from './daily-returns.js';
export * from './equity-curve.js';
export * from './breakdowns.js';
export * from './daily-performance.js';
export * from './performance-analysis.js';
export * from './assessment.types.js';
export * from './assessment-rules.js';
export * from './assessment.js';
export * from './format.js';
export * from './svg-charts.js';
