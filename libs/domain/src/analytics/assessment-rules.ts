import type { AssessmentThresholds, Finding, FindingKind, Priority } from './assessment.types.js';
import type { BreakdownRow } from './breakdowns.js';
import { formatDate, formatFraction, formatMoney, formatNumber, formatPercent } from './format.js';
import type { PerformanceAnalysis } from './performance-analysis.js';

/** A rule reads the analysis and the thresholds and states zero or more findings. */
export type AssessmentRule = (analysis: PerformanceAnalysis, t: AssessmentThresholds) => Finding[];

function finding(kind: FindingKind, code: string, priority: Priority, text: string, figures: Record<string, string>): Finding {
  return { kind, code, priority, text, figures };
}

const sampleSize: AssessmentRule = ({ summary }, t) => summary.trades >= t.minTrades ? [] : [
  finding('risk', 'SMALL_SAMPLE', 'medium',
    `Only ${summary.trades} closed trades (fewer than ${t.minTrades}): every figure below is tentative.`,
    { trades: String(summary.trades), minTrades: String(t.minTrades) }),
  finding('recommendation', 'GATHER_MORE_TRADES', 'medium',
    `Keep the size at its minimum (or trade on paper) until at least ${t.minTrades} trades are closed, then assess again.`,
    { trades: String(summary.trades), minTrades: String(t.minTrades) }),
];

const edge: AssessmentRule = ({ summary }, t) => {
  const pf = summary.profitFactor;
  const figures = { profitFactor: formatNumber(pf), netProfit: formatMoney(summary.netProfit), expectancy: formatMoney(summary.expectancy ?? 0) };
  if (Number(summary.netProfit) <= 0) {
    return [
      finding('weakness', 'NO_EDGE', 'high',
        `The trades lost money: net ${figures.netProfit}, profit factor ${figures.profitFactor}, expectancy ${figures.expectancy} per trade.`, figures),
      finding('recommendation', 'STOP_AND_REVIEW', 'high',
        'Stop live trading of this set-up and review it on out-of-sample history before it trades again.', figures),
    ];
  }
  if (pf !== null && pf < t.thinProfitFactor) {
    return [finding('weakness', 'THIN_EDGE', 'medium',
      `Profit factor ${figures.profitFactor} is below ${formatNumber(t.thinProfitFactor)}: a small rise in costs or slippage would erase the edge.`,
      { ...figures, threshold: formatNumber(t.thinProfitFactor) })];
  }
  if (pf === null || pf >= t.strongProfitFactor) {
    return [finding('strength', 'STRONG_EDGE', 'medium',
      pf === null
        ? `No losing trade yet; net ${figures.netProfit}, expectancy ${figures.expectancy} per trade.`
        : `Profit factor ${figures.profitFactor} is at or above ${formatNumber(t.strongProfitFactor)}; expectancy ${figures.expectancy} per trade.`,
      { ...figures, threshold: formatNumber(t.strongProfitFactor) })];
  }
  return [];
};

const payoff: AssessmentRule = ({ summary }, t) => {
  const out: Finding[] = [];
  const figures = { winRate: formatFraction(summary.winRate), payoffRatio: formatNumber(summary.payoffRatio), averageWin: formatMoney(summary.averageWin ?? 0), averageLoss: formatMoney(summary.averageLoss ?? 0) };
  if (summary.winRate !== null && summary.winRate >= t.highWinRate) {
    out.push(finding('strength', 'HIGH_WIN_RATE', 'low', `Win rate ${figures.winRate} is at or above ${formatFraction(t.highWinRate)}.`, figures));
  }
  if (summary.payoffRatio !== null && summary.payoffRatio >= t.strongPayoff) {
    out.push(finding('strength', 'LARGE_PAYOFF', 'low',
      `Average win ${figures.averageWin} is ${figures.payoffRatio} times the average loss ${figures.averageLoss}.`, figures));
  }
  if (summary.payoffRatio !== null && summary.payoffRatio < t.weakPayoff) {
    out.push(finding('weakness', 'SMALL_PAYOFF', 'medium',
      `Average win ${figures.averageWin} is only ${figures.payoffRatio} times the average loss ${figures.averageLoss} (below ${formatNumber(t.weakPayoff)}); the result leans on a win rate of ${figures.winRate}.`,
      { ...figures, threshold: formatNumber(t.weakPayoff) }));
    out.push(finding('recommendation', 'LET_WINNERS_RUN', 'medium',
      'Review the exits: targets or trailing stops that cut winners short, or stops wider than the targets.', figures));
  }
  return out;
};

const rMultiples: AssessmentRule = ({ summary }, t) => {
  const out: Finding[] = [];
  const withoutStop = summary.trades - summary.tradesWithR;
  if (withoutStop > 0) {
    const figures = { tradesWithoutStop: String(withoutStop), trades: String(summary.trades) };
    out.push(finding('risk', 'NO_STOP_LOSS', 'high', `${withoutStop} of ${summary.trades} trades had no initial stop loss, so their risk was unbounded.`, figures));
    out.push(finding('recommendation', 'REQUIRE_STOP_LOSS', 'high', 'Require a stop loss on every order in the risk policy (manual orders included).', figures));
  }
  if (summary.averageR !== null) {
    const figures = { averageR: formatNumber(summary.averageR), tradesWithR: String(summary.tradesWithR) };
    if (summary.averageR < 0) out.push(finding('weakness', 'NEGATIVE_AVERAGE_R', 'medium', `Average R is ${figures.averageR} over ${figures.tradesWithR} trades with a stop: the trades lose more than they risk on average.`, figures));
    else if (summary.averageR >= t.strongAverageR) out.push(finding('strength', 'POSITIVE_AVERAGE_R', 'low', `Average R is ${figures.averageR} over ${figures.tradesWithR} trades with a stop (at or above ${formatNumber(t.strongAverageR)}).`, { ...figures, threshold: formatNumber(t.strongAverageR) }));
  }
  return out;
};

const drawdown: AssessmentRule = ({ maxDrawdownPercent: worst, recoveryFactor, summary }, t) => {
  const out: Finding[] = [];
  if (worst && worst.percent >= t.drawdownPercentMedium) {
    const high = worst.percent >= t.drawdownPercentHigh;
    const figures = { maxDrawdownPercent: formatPercent(worst.percent), maxDrawdownMoney: formatMoney(worst.money), peak: formatDate(worst.peakTime), trough: formatDate(worst.troughTime), threshold: formatPercent(high ? t.drawdownPercentHigh : t.drawdownPercentMedium) };
    out.push(finding('risk', 'DEEP_DRAWDOWN', high ? 'high' : 'medium',
      `Equity fell ${figures.maxDrawdownPercent} (${figures.maxDrawdownMoney}) from its peak on ${figures.peak} to ${figures.trough}, at or beyond ${figures.threshold}.`, figures));
    out.push(finding('recommendation', 'REDUCE_RISK_PER_TRADE', high ? 'high' : 'medium',
      'Lower the risk per trade (or the number of concurrent positions) so the worst drawdown stays within the account\'s limit.', figures));
  }
  if (worst && worst.recoveryTime === null && worst.percent >= t.ongoingDrawdownPercent) {
    out.push(finding('risk', 'DRAWDOWN_NOT_RECOVERED', 'medium',
      `The drawdown of ${formatPercent(worst.percent)} that began on ${formatDate(worst.peakTime)} has not been recovered.`,
      { maxDrawdownPercent: formatPercent(worst.percent), peak: formatDate(worst.peakTime) }));
  }
  if (recoveryFactor !== null && Number(summary.netProfit) > 0) {
    const figures = { recoveryFactor: formatNumber(recoveryFactor), netProfit: formatMoney(summary.netProfit) };
    if (recoveryFactor >= t.strongRecoveryFactor) out.push(finding('strength', 'FAST_RECOVERY', 'low', `Net profit is ${figures.recoveryFactor} times the largest drawdown.`, figures));
    else if (recoveryFactor < 1) out.push(finding('risk', 'PROFIT_BELOW_DRAWDOWN', 'medium', `Net profit ${figures.netProfit} is smaller than the largest drawdown (recovery factor ${figures.recoveryFactor}).`, figures));
  }
  return out;
};

const streaksAndOutliers: AssessmentRule = ({ summary }, t) => {
  const out: Finding[] = [];
  if (summary.longestLosingStreak >= t.losingStreakMedium) {
    const high = summary.longestLosingStreak >= t.losingStreakHigh;
    out.push(finding('risk', 'LOSING_STREAK', high ? 'high' : 'medium',
      `${summary.longestLosingStreak} losing trades in a row (at or beyond ${high ? t.losingStreakHigh : t.losingStreakMedium}); size the risk so such a run stays bearable.`,
      { longestLosingStreak: String(summary.longestLosingStreak), threshold: String(high ? t.losingStreakHigh : t.losingStreakMedium) }));
  }
  if (summary.losses >= t.outlierMinLosses && summary.largestLoss !== null && summary.averageLoss !== null
    && summary.largestLoss < t.outlierLossMultiple * summary.averageLoss) {
    const figures = { largestLoss: formatMoney(summary.largestLoss), averageLoss: formatMoney(summary.averageLoss), multiple: formatNumber(summary.largestLoss / summary.averageLoss) };
    out.push(finding('risk', 'OUTSIZED_LOSS', 'high',
      `The largest loss ${figures.largestLoss} is ${figures.multiple} times the average loss ${figures.averageLoss} (beyond ${formatNumber(t.outlierLossMultiple)}).`, figures));
    out.push(finding('recommendation', 'CHECK_STOP_EXECUTION', 'high', 'Check that stops were in place and filled near their price (gaps, slippage, stops moved by hand).', figures));
  }
  if (summary.longestWinningStreak >= t.losingStreakMedium) {
    out.push(finding('strength', 'WINNING_STREAK', 'low', `Longest winning run: ${summary.longestWinningStreak} trades.`, { longestWinningStreak: String(summary.longestWinningStreak) }));
  }
  return out;
};

const riskAdjusted: AssessmentRule = ({ sharpe, sortino, returnDays }, t) => {
  if (returnDays < t.minReturnDays || sharpe === null) return [];
  const figures = { sharpe: formatNumber(sharpe), sortino: formatNumber(sortino), days: String(returnDays) };
  if (sharpe >= t.strongSharpe) return [finding('strength', 'HIGH_SHARPE', 'medium', `Sharpe ratio ${figures.sharpe} (Sortino ${figures.sortino}) over ${figures.days} days, at or above ${formatNumber(t.strongSharpe)}.`, { ...figures, threshold: formatNumber(t.strongSharpe) })];
  if (sharpe < t.weakSharpe) return [finding('weakness', 'LOW_SHARPE', 'medium', `Sharpe ratio ${figures.sharpe} (Sortino ${figures.sortino}) over ${figures.days} days is below ${formatNumber(t.weakSharpe)}: returns are small for their swings.`, { ...figures, threshold: formatNumber(t.weakSharpe) })];
  return [];
};

const costsAndExposure: AssessmentRule = ({ summary, exposure }, t) => {
  const out: Finding[] = [];
  const price = Number(summary.priceProfit);
  const costs = -(Number(summary.commission) + Number(summary.swap) + Number(summary.fee));
  if (price > 0 && costs > 0 && costs / price >= t.highCostShare) {
    const figures = { costs: formatMoney(costs), priceProfit: formatMoney(price), share: formatFraction(costs / price) };
    out.push(finding('weakness', 'HIGH_COSTS', 'medium', `Commission, swap and fees (${figures.costs}) took ${figures.share} of the price profit ${figures.priceProfit}.`, { ...figures, threshold: formatFraction(t.highCostShare) }));
    out.push(finding('recommendation', 'CUT_COSTS', 'medium', 'Trade less often, hold fewer positions overnight, or move to a cheaper account type.', figures));
  }
  if (exposure.fraction !== null && exposure.fraction >= t.highExposure) {
    out.push(finding('risk', 'HIGH_EXPOSURE', 'low', `A position was open ${formatFraction(exposure.fraction)} of the time, leaving little room to stand aside.`, { exposure: formatFraction(exposure.fraction), threshold: formatFraction(t.highExposure) }));
  }
  return out;
};

const stopOuts: AssessmentRule = ({ exitReasons }) => {
  const count = exitReasons.SO ?? 0;
  return count === 0 ? [] : [
    finding('risk', 'STOP_OUT', 'high', `${count} trades were closed by a margin stop out.`, { stopOuts: String(count) }),
    finding('recommendation', 'REDUCE_LEVERAGE', 'high', 'Reduce the open volume relative to equity so margin never runs out.', { stopOuts: String(count) }),
  ];
};

function losers(rows: readonly BreakdownRow[], minTrades: number, max: number): BreakdownRow[] {
  return rows.filter((row) => row.trades >= minTrades && Number(row.netProfit) < 0)
    .sort((a, b) => Number(a.netProfit) - Number(b.netProfit) || (a.key < b.key ? -1 : 1))
    .slice(0, max);
}

const groups: AssessmentRule = ({ breakdowns, summary }, t) => {
  const out: Finding[] = [];
  const name = (rows: BreakdownRow[]) => rows.map((row) => `${row.label} (${formatMoney(row.netProfit)} over ${row.trades} trades)`).join(', ');
  const badStrategies = breakdowns.strategy.length > 1 ? losers(breakdowns.strategy, t.minGroupTrades, t.maxNamedGroups) : [];
  if (badStrategies.length) {
    out.push(finding('recommendation', 'REVIEW_STRATEGIES', 'high', `Pause or review the losing strategies: ${name(badStrategies)}.`,
      Object.fromEntries(badStrategies.map((row) => [row.key, formatMoney(row.netProfit)]))));
  }
  const badSymbols = breakdowns.symbol.length > 1 && Number(summary.netProfit) > 0 ? losers(breakdowns.symbol, t.minGroupTrades, t.maxNamedGroups) : [];
  if (badSymbols.length) {
    out.push(finding('recommendation', 'REVIEW_SYMBOLS', 'medium', `The profit comes despite these symbols; consider dropping them: ${name(badSymbols)}.`,
      Object.fromEntries(badSymbols.map((row) => [row.key, formatMoney(row.netProfit)]))));
  }
  const best = breakdowns.symbol.filter((row) => row.trades >= t.minGroupTrades && row.profitFactor !== null && row.profitFactor >= t.strongProfitFactor)
    .sort((a, b) => Number(b.netProfit) - Number(a.netProfit) || (a.key < b.key ? -1 : 1))[0];
  if (best && breakdowns.symbol.length > 1) {
    out.push(finding('strength', 'BEST_SYMBOL', 'low', `${best.label} is the strongest symbol: ${formatMoney(best.netProfit)} over ${best.trades} trades, profit factor ${formatNumber(best.profitFactor)}.`,
      { symbol: best.key, netProfit: formatMoney(best.netProfit), profitFactor: formatNumber(best.profitFactor) }));
  }
  const badHours = losers(breakdowns.hour, t.minHourTrades, t.maxNamedGroups);
  if (badHours.length) {
    out.push(finding('recommendation', 'FILTER_ENTRY_HOURS', 'low', `Entries in these hours (UTC) lost money; consider a session filter: ${name(badHours)}.`,
      Object.fromEntries(badHours.map((row) => [row.label, formatMoney(row.netProfit)]))));
  }
  return out;
};

/** Every rule, in the order they are applied (the final order is fixed by sorting). */
export const ASSESSMENT_RULES: readonly AssessmentRule[] = [sampleSize, edge, payoff, rMultiples, drawdown, streaksAndOutliers, riskAdjusted, costsAndExposure, stopOuts, groups];
