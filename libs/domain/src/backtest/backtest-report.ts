import type { BacktestResult, EquityPoint } from './backtest.types.js';
import { FILL_MODEL } from './fill-model.js';

/** What the report says about the run besides the result itself. */
export interface BacktestReportContext {
  /** Where the bars came from (a file name, a query). */
  readonly source: string;
  readonly initialBalance: number;
  readonly riskPercent: number;
  readonly commissionPerLotPerSide: number;
  /** How the spread was chosen, in words (`10 points (instrument default)`). */
  readonly spread: string;
  readonly accountCurrency: string;
  /** Trades listed in the table (the JSON has all of them); default 500. */
  readonly maxTradeRows?: number;
}

const WIDTH = 960;
const HEIGHT = 320;
const PAD = { left: 72, right: 16, top: 16, bottom: 36 };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** `2022-01-04 18:00` (UTC). */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ');
}

function money(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

/**
 * The equity curve as an SVG drawn by hand (no chart library): the closed-trade balance as a
 * stepped line over time, end-of-day equity as dots, min/max and first/last times on the axes.
 */
export function equityCurveSvg(byTrade: readonly EquityPoint[], byDay: readonly EquityPoint[]): string {
  const points = [...byTrade, ...byDay];
  if (points.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="960" height="40"><text x="8" y="24">no equity data</text></svg>';
  const times = points.map((p) => p.time);
  const values = points.map((p) => p.equity);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const x = (time: number) => PAD.left + ((time - t0) / (t1 - t0 || 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (equity: number) => PAD.top + (1 - (equity - low) / (high - low || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const steps: string[] = [];
  byTrade.forEach((point, index) => {
    if (index > 0) steps.push(`${x(point.time).toFixed(1)},${y(byTrade[index - 1].equity).toFixed(1)}`);
    steps.push(`${x(point.time).toFixed(1)},${y(point.equity).toFixed(1)}`);
  });
  const dots = byDay.map((p) => `<circle cx="${x(p.time).toFixed(1)}" cy="${y(p.equity).toFixed(1)}" r="2.5" class="day"/>`).join('');
  const bottom = HEIGHT - PAD.bottom;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="equity curve">`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${WIDTH - PAD.left - PAD.right}" height="${bottom - PAD.top}" class="frame"/>`,
    `<polyline points="${steps.join(' ')}" class="balance"/>`,
    dots,
    `<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${high.toFixed(2)}</text>`,
    `<text x="${PAD.left - 6}" y="${bottom}" text-anchor="end">${low.toFixed(2)}</text>`,
    `<text x="${PAD.left}" y="${HEIGHT - 12}">${formatTime(t0)}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 12}" text-anchor="end">${formatTime(t1)}</text>`,
    '</svg>',
  ].join('');
}

function metricRows(result: BacktestResult, context: BacktestReportContext): [string, string][] {
  const m = result.metrics;
  const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
  return [
    ['Net profit', `${money(m.netProfit)} ${context.accountCurrency} (${m.returnPercent.toFixed(2)}%)`],
    ['Final balance', money(m.finalBalance)],
    ['Trades', `${m.trades} (${m.wins} won, ${m.losses} lost)`],
    ['Win rate', percent(m.winRate)],
    ['Profit factor', m.profitFactor === null ? '–' : m.profitFactor.toFixed(3)],
    ['Expectancy per trade', money(m.expectancy)],
    ['Average win / loss', `${money(m.averageWin)} / ${money(m.averageLoss)}`],
    ['Max drawdown', `${money(m.maxDrawdown)} (${m.maxDrawdownPercent.toFixed(2)}%) on closed-trade balance`],
    ['Sharpe (daily, annualised √252)', m.sharpeDaily === null ? '–' : m.sharpeDaily.toFixed(3)],
    ['Bars / days / signals / skipped', `${m.bars} / ${m.days} / ${m.signals} / ${m.skippedSignals}`],
  ];
}

/** A self-contained HTML page (inline CSS and SVG, nothing fetched) for one backtest. */
export function renderBacktestReport(result: BacktestResult, context: BacktestReportContext): string {
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const setup: [string, string][] = [
    ['Strategy', `${result.strategyKind} (${result.strategyId})`],
    ['Parameters', JSON.stringify(result.params)],
    ['Symbol / timeframe', `${result.symbol} ${result.timeframe ?? ''}`],
    ['Bars from', `${context.source}: ${result.firstBarTime === null ? '–' : formatTime(result.firstBarTime)} → ${result.lastBarTime === null ? '–' : formatTime(result.lastBarTime)}`],
    ['Account', `${money(context.initialBalance)} ${context.accountCurrency}, risk ${context.riskPercent}% per trade`],
    ['Costs', `spread: ${context.spread}; commission: ${context.commissionPerLotPerSide} per lot per side`],
    ['Fill model', FILL_MODEL],
  ];
  const limit = context.maxTradeRows ?? 500;
  const tradeRows = result.trades
    .slice(0, limit)
    .map(
      (t) =>
        `<tr><td>${t.id}</td><td>${t.side}</td><td>${t.volume}</td><td>${formatTime(t.entryTime)}</td><td>${t.entryPrice}</td>` +
        `<td>${formatTime(t.exitTime)}</td><td>${t.exitPrice}</td><td>${t.exitReason}</td><td>${money(t.gross)}</td>` +
        `<td>${money(t.commission)}</td><td class="${t.net < 0 ? 'loss' : 'win'}">${money(t.net)}</td><td>${money(t.balance)}</td></tr>`,
    )
    .join('');
  const more = result.trades.length > limit ? `<p>${result.trades.length - limit} more trades in the JSON result.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest ${escapeHtml(result.strategyId)} ${escapeHtml(result.symbol)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 16px}
th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}td{font-variant-numeric:tabular-nums}
svg text{font:11px system-ui,sans-serif;fill:#555}.frame{fill:#fafafa;stroke:#ccc}.balance{fill:none;stroke:#1f6feb;stroke-width:1.5}
.day{fill:#e36209}.loss{color:#b00020}.win{color:#1a7f37}
</style></head><body>
<h1>Backtest: ${escapeHtml(result.strategyKind)} on ${escapeHtml(result.symbol)}</h1>
<table>${rows(setup)}</table>
<h2>Equity</h2>
<p>Blue: balance after each closed trade. Orange: equity at the end of each day (open position at the day's last close).</p>
${equityCurveSvg(result.equityByTrade, result.equityByDay)}
<h2>Metrics</h2>
<table>${rows(metricRows(result, context))}</table>
<h2>Trades</h2>
<table><tr><th>#</th><th>Side</th><th>Lots</th><th>Entry</th><th>Price</th><th>Exit</th><th>Price</th><th>Reason</th><th>Gross</th><th>Commission</th><th>Net</th><th>Balance</th></tr>
${tradeRows}</table>${more}
</body></html>
`;
}
