import {
  FindingKinds, WEEKDAY_NAMES, barChart, downsample, escapeXml, formatDate, formatDuration, formatFraction, formatMoney, formatNumber,
  formatPercent, formatTime, lineChart, underwaterChart, analyseDrawdowns, type Finding, type PerformanceAnalysis,
} from '@mt5/domain/analytics';
import type { DailyRowView, PositionView } from '../../adapters/db/history-queries.repository.js';
import type { RiskEventRow } from '../../adapters/db/risk-events.repository.js';
import type { AnalysisResult } from '../performance/performance-analysis.use-case.js';
import { amount, breakdownTable, money, monthlyReturnsTable, num, table, text } from './html-tables.js';

/** Everything a report shows. */
export interface ReportModel {
  readonly result: AnalysisResult;
  readonly daily: readonly DailyRowView[];
  readonly riskEvents: readonly RiskEventRow[];
  readonly openPositions: readonly PositionView[];
  readonly currency: string | null;
  /** Epoch ms the report was made (shown in the header only). */
  readonly generatedAt: number;
  /** Most recent trades listed; the figures always cover all of them. */
  readonly maxTradesListed?: number;
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#1d1d1f;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-variant-numeric:tabular-nums}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left}
th{background:#f6f8fa;font-weight:600}td.num{text-align:right}.pos{color:#2e7d32}.neg{color:#c62828}.empty{color:#888;text-align:center}
.meta{color:#555}.chart{width:100%;height:auto;display:block}.finding{margin:4px 0}.badge{display:inline-block;font-size:11px;padding:1px 6px;border-radius:8px;margin-right:6px;color:#fff}
.high{background:#c62828}.medium{background:#ef6c00}.low{background:#607d8b}.figures{color:#555;font-size:12px}pre{background:#f6f8fa;padding:12px;white-space:pre-wrap}
footer{margin-top:32px;color:#666;font-size:12px}`;

function summaryTable(a: PerformanceAnalysis, currency: string | null): string {
  const s = a.summary;
  const dd = a.maxDrawdownMoney;
  const ddp = a.maxDrawdownPercent;
  const rows = [
    ['Net profit', money(s.netProfit)], ['Return', num(formatPercent(a.returnPercent))],
    ['Start equity', amount(a.startEquity)], ['End equity', amount(a.endEquity)],
    ['Trades (won / lost / even)', num(`${s.trades} (${s.wins} / ${s.losses} / ${s.breakeven})`)], ['Win rate', num(formatFraction(s.winRate))],
    ['Profit factor', num(formatNumber(s.profitFactor))], ['Expectancy per trade', money(s.expectancy)],
    ['Average win / loss', num(`${formatMoney(s.averageWin ?? 0)} / ${formatMoney(s.averageLoss ?? 0)}`)], ['Payoff ratio', num(formatNumber(s.payoffRatio))],
    ['Largest win / loss', num(`${formatMoney(s.largestWin ?? 0)} / ${formatMoney(s.largestLoss ?? 0)}`)],
    ['Average R (trades with a stop)', num(`${formatNumber(s.averageR)} (${s.tradesWithR})`)],
    ['Max drawdown (money)', num(dd ? `${formatMoney(dd.money)} (${formatDate(dd.peakTime)} → ${formatDate(dd.troughTime)}, ${dd.recoveryTime === null ? 'not recovered' : `recovered ${formatDate(dd.recoveryTime)}`})` : '0.00')],
    ['Max drawdown (percent)', num(ddp ? `${formatPercent(ddp.percent)} (${formatDate(ddp.peakTime)} → ${formatDate(ddp.troughTime)})` : '0.00%')],
    ['Recovery factor', num(formatNumber(a.recoveryFactor))],
    ['Sharpe (daily, ×√252, risk-free 0)', num(formatNumber(a.sharpe))], ['Sortino (daily, ×√252, target 0)', num(formatNumber(a.sortino))],
    ['Exposure time', num(`${formatDuration(a.exposure.seconds)} (${formatFraction(a.exposure.fraction)})`)],
    ['Longest winning / losing streak', num(`${s.longestWinningStreak} / ${s.longestLosingStreak}`)],
    ['Average duration', num(formatDuration(s.averageDurationSeconds))],
    ['Commission / swap / fees', num(`${formatMoney(s.commission)} / ${formatMoney(s.swap)} / ${formatMoney(s.fee)}`)],
    ['Exit reasons', text(Object.entries(a.exitReasons).map(([reason, count]) => `${reason} ${count}`).join(', ') || '–')],
  ] as const;
  return table('summary-table', ['Figure', `Value${currency ? ` (${currency})` : ''}`], rows.map(([label, cell]) => [text(label), cell]));
}

function findingHtml(f: Finding): string {
  const figures = Object.entries(f.figures).map(([key, value]) => `${key}=${value}`).join(', ');
  return `<li class="finding" data-code="${escapeXml(f.code)}"><span class="badge ${f.priority}">${f.priority}</span>${escapeXml(f.text)} <span class="figures">(${escapeXml(figures)})</span></li>`;
}

function assessmentHtml(result: AnalysisResult): string {
  const headings = { strength: 'Strengths', weakness: 'Weaknesses', risk: 'Risks', recommendation: 'Recommendations' } as const;
  const parts = FindingKinds.map((kind) => {
    const items = result.assessment.findings.filter((f) => f.kind === kind);
    return items.length ? `<h3>${headings[kind]}</h3><ul>${items.map(findingHtml).join('')}</ul>` : '';
  });
  return `${parts.join('')}<details><summary>As text</summary><pre id="assessment-text">${escapeXml(result.assessment.text)}</pre></details>`;
}

function charts(result: AnalysisResult): string {
  const points = downsample(result.equity, 1500).map((p) => ({ x: p.time, y: p.equity }));
  const underwater = analyseDrawdowns(downsample(result.equity, 1500)).underwater.map((p) => ({ x: p.time, y: p.percent }));
  const source = result.equitySource === 'account-snapshots' ? 'account equity from snapshots' : 'equity at the start plus realised net profit';
  return `<section id="equity"><h2>Equity curve</h2><p class="meta">${escapeXml(source)}</p>${lineChart(points, { id: 'equity-curve', title: 'Equity curve' })}</section>`
    + `<section id="drawdown"><h2>Drawdown</h2><p class="meta">Distance below the running peak, percent.</p>${underwaterChart(underwater, { id: 'drawdown-chart', title: 'Drawdown (percent below peak)' })}</section>`;
}

function breakdownsHtml(a: PerformanceAnalysis): string {
  const weekdayBars = a.breakdowns.weekday.map((row) => ({ label: WEEKDAY_NAMES[Number(row.key) % 7].slice(0, 3), value: Number(row.netProfit) }));
  const hourBars = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))
    .map((hour) => ({ label: hour, value: Number(a.breakdowns.hour.find((row) => row.key === hour)?.netProfit ?? 0) }));
  return '<section id="breakdowns"><h2>Breakdowns</h2>'
    + `<h3>By strategy</h3>${breakdownTable('by-strategy', 'Strategy', a.breakdowns.strategy)}`
    + `<h3>By symbol</h3>${breakdownTable('by-symbol', 'Symbol', a.breakdowns.symbol)}`
    + `<h3>By weekday of entry (UTC)</h3>${barChart(weekdayBars, { id: 'weekday-chart', title: 'Net profit by weekday of entry', height: 180 })}${breakdownTable('by-weekday', 'Weekday', a.breakdowns.weekday)}`
    + `<h3>By hour of entry (UTC)</h3>${barChart(hourBars, { id: 'hour-chart', title: 'Net profit by hour of entry', height: 180 })}${breakdownTable('by-hour', 'Hour', a.breakdowns.hour)}`
    + `<h3>By day of exit (UTC)</h3>${breakdownTable('by-day', 'Day', a.breakdowns.day)}</section>`;
}

function dailyHtml(rows: readonly DailyRowView[]): string {
  return '<section id="daily"><h2>Daily performance</h2>' + table('daily-performance',
    ['Day', 'Trades', 'Won', 'Lost', 'Net profit', 'Largest win', 'Largest loss', 'Max drawdown', 'End balance', 'End equity'],
    rows.map((r) => [text(r.day), num(String(r.trades)), num(String(r.wins)), num(String(r.losses)), money(r.netProfit), money(r.largestWin),
      money(r.largestLoss), amount(r.maxDrawdown), amount(r.endBalance), amount(r.endEquity)])) + '</section>';
}

function tradesHtml(result: AnalysisResult, limit: number): string {
  const newest = [...result.trades].sort((a, b) => b.exitTime - a.exitTime).slice(0, limit);
  const note = result.trades.length > limit ? `<p class="meta">The ${limit} most recent of ${result.trades.length} trades.</p>` : '';
  return `<section id="trades"><h2>Trades</h2>${note}` + table('trades-table',
    ['Exit (UTC)', 'Entry (UTC)', 'Strategy', 'Symbol', 'Side', 'Lots', 'Entry', 'Exit', 'Gross', 'Costs', 'Net', 'Pips', 'R', 'Duration', 'Exit reason'],
    newest.map((t) => [text(formatTime(t.exitTime)), text(formatTime(t.entryTime)), text(t.strategyId), text(t.symbol), text(t.side), num(t.volume),
      num(t.entryPrice), num(t.exitPrice), money(t.grossProfit), money(Number(t.commission) + Number(t.swap) + Number(t.fee)), money(t.netProfit),
      num(formatNumber(t.pips, 1)), num(formatNumber(t.rMultiple)), num(formatDuration(t.durationSeconds)), text(t.exitReason)])) + '</section>';
}

function riskAndPositionsHtml(model: ReportModel): string {
  const events = table('risk-events', ['Time (UTC)', 'Kind', 'What', 'From', 'To', 'Reason'],
    model.riskEvents.map((e) => [text(formatTime(Date.parse(e.time))), text(e.kind), text(e.what), text(e.from), text(e.to), text(e.reason)]));
  const positions = table('open-positions', ['Opened (UTC)', 'Position', 'Strategy', 'Symbol', 'Side', 'Lots', 'Entry', 'Stop', 'Floating'],
    model.openPositions.map((p) => [text(formatTime(Date.parse(p.openTime))), text(p.positionId), text(p.strategyId ?? ''), text(p.symbol),
      text(p.side), num(p.volume), num(p.openPrice), num(p.stopLoss ?? '–'), money(p.profit)]));
  return `<section id="risk"><h2>Trading-state changes and breakers</h2>${events}</section><section id="positions"><h2>Open positions</h2>${positions}</section>`;
}

/** The report as one self-contained HTML page: inline CSS and SVG, no scripts, no network. */
export function renderReportHtml(model: ReportModel): string {
  const { result } = model;
  const request = result.request;
  const scope = [`account ${request.account}`, request.strategyId ? `strategy ${request.strategyId}` : '', request.symbol ? `symbol ${request.symbol}` : ''].filter(Boolean).join(', ');
  const title = `Trading report: ${scope}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>`
    + `<header><h1>${escapeXml(title)}</h1><p class="meta">${escapeXml(`${formatTime(result.from)} to ${formatTime(result.to)} UTC · ${result.trades.length} trades · generated ${formatTime(model.generatedAt)} UTC`)}</p></header>`
    + `<section id="summary"><h2>Summary</h2>${summaryTable(result.analysis, model.currency)}</section>`
    + charts(result)
    + `<section id="monthly"><h2>Monthly returns</h2>${monthlyReturnsTable(result.analysis.monthly)}</section>`
    + breakdownsHtml(result.analysis)
    + `<section id="assessment"><h2>Assessment</h2>${assessmentHtml(result)}</section>`
    + dailyHtml(model.daily)
    + tradesHtml(result, model.maxTradesListed ?? 500)
    + riskAndPositionsHtml(model)
    + `<footer>All times UTC. Sharpe and Sortino use daily returns of end-of-day equity on weekdays, annualised with √252, risk-free rate 0. `
    + `Money sums are exact decimals; R is net profit over the initial risk (entry to initial stop). Thresholds of the assessment: docs/reporting.md.</footer>`
    + '</body></html>\n';
}
