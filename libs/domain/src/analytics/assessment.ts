import { ASSESSMENT_RULES } from './assessment-rules.js';
import {
  DEFAULT_ASSESSMENT_THRESHOLDS, FindingKinds, Priorities,
  type Assessment, type AssessmentSubject, type AssessmentThresholds, type Finding, type FindingKind,
} from './assessment.types.js';
import { formatDate, formatFraction, formatMoney, formatNumber } from './format.js';
import type { PerformanceAnalysis } from './performance-analysis.js';

const HEADINGS: Record<FindingKind, string> = {
  strength: 'Strengths',
  weakness: 'Weaknesses',
  risk: 'Risks',
  recommendation: 'Recommendations',
};

/** Fixed order: kind, then priority (high first), then code, then text. */
function compareFindings(a: Finding, b: Finding): number {
  return FindingKinds.indexOf(a.kind) - FindingKinds.indexOf(b.kind)
    || Priorities.indexOf(a.priority) - Priorities.indexOf(b.priority)
    || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
    || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}

/**
 * A written assessment of a performance analysis: strengths, weaknesses, risks and
 * recommendations, each with the figures that triggered it and a priority. Pure and
 * deterministic: rules are fixed, thresholds are arguments, numbers are formatted without
 * locale, and findings are sorted, so the same history always gives the same text.
 */
export function assessPerformance(
  analysis: PerformanceAnalysis, subject: AssessmentSubject, thresholds: AssessmentThresholds = DEFAULT_ASSESSMENT_THRESHOLDS,
): Assessment {
  const findings = analysis.summary.trades === 0
    ? [{ kind: 'recommendation' as const, code: 'NO_TRADES', priority: 'low' as const, text: 'No closed trades in this period: nothing to assess yet.', figures: { trades: '0' } }]
    : ASSESSMENT_RULES.flatMap((rule) => rule(analysis, thresholds)).sort(compareFindings);
  return { subject, findings, text: renderAssessmentText(analysis, subject, findings) };
}

/** The headline figures every assessment text starts with. */
function headline(analysis: PerformanceAnalysis): string {
  const s = analysis.summary;
  return [
    `${s.trades} trades, ${s.wins} won, ${s.losses} lost (win rate ${formatFraction(s.winRate)}); net ${formatMoney(s.netProfit)}.`,
    `Profit factor ${formatNumber(s.profitFactor)}, expectancy ${formatMoney(s.expectancy ?? 0)} per trade, average R ${formatNumber(s.averageR)}.`,
    `Max drawdown ${formatMoney(analysis.maxDrawdownMoney?.money ?? 0)} (${formatNumber(analysis.maxDrawdownPercent?.percent ?? 0)}%), Sharpe ${formatNumber(analysis.sharpe)}, Sortino ${formatNumber(analysis.sortino)}.`,
  ].join('\n');
}

export function renderAssessmentText(analysis: PerformanceAnalysis, subject: AssessmentSubject, findings: readonly Finding[]): string {
  const scope = subject.strategyId ? `account ${subject.account}, strategy ${subject.strategyId}` : `account ${subject.account}`;
  const lines = [`Assessment of ${scope}, ${formatDate(subject.from)} to ${formatDate(subject.to)}`, '', headline(analysis)];
  for (const kind of FindingKinds) {
    const ofKind = findings.filter((f) => f.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push('', HEADINGS[kind]);
    for (const f of ofKind) {
      const figures = Object.entries(f.figures).map(([key, value]) => `${key}=${value}`).join(', ');
      lines.push(`- [${f.priority}] ${f.text} (${f.code}: ${figures})`);
    }
  }
  return `${lines.join('\n')}\n`;
}
