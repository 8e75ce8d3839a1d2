import type { FlowCounts } from './pipeline-watch.js';
import type { Performance } from './platform-client.js';
import { formatCount } from './progress-bar.js';
import type { ReplayJob } from './replay-plan.js';
import type { ReplayOutcome } from './replay-driver.js';

export interface SummaryInput {
  readonly account: string;
  readonly pace: string;
  readonly jobs: readonly ReplayJob[];
  readonly replay: ReplayOutcome;
  readonly flow: FlowCounts;
  readonly performance: Performance | undefined;
  readonly performanceError?: string;
  /** The simulator's own view at the end: open positions and the account. */
  readonly broker: { readonly positions: number; readonly currency: string; readonly balance: number; readonly equity: number } | undefined;
  readonly report: { readonly path?: string; readonly error?: string };
  readonly gatewayUrl: string;
  readonly adminKey: { readonly key?: string; readonly file?: string; readonly error?: string };
  /** All M1 bars stored for the symbols, for the full-history estimate. */
  readonly storedBars: number;
  /** risk-guard's trading state of the account at the end, described. */
  readonly tradingState: string;
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const isoWhen = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const money = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function counted(map: ReadonlyMap<string, number>, limit = 6): string {
  const entries = [...map.entries()].sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, limit).map(([key, n]) => `${key} ${formatCount(n)}`);
  return entries.length > limit ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** The summary the run command prints after the replay, one labelled line per figure. */
export function renderSummary(input: SummaryInput): string[] {
  const { replay, flow, performance } = input;
  const rows: [string, string][] = [];
  const range = input.jobs.map((job) => `${job.symbols.join(',')} ${when(job.from)} → ${when(job.to)}`).join('; ');
  const rate = replay.replayMs > 0 ? (replay.published / replay.replayMs) * 1000 : 0;
  rows.push(['history', `${range} UTC`]);
  rows.push(['bars processed', `${formatCount(replay.published)} in ${duration(replay.replayMs)}: ${formatCount(rate)} bars/s through the whole pipeline, pace ${input.pace}`
    + ` (${duration(replay.publishMs)} publishing ${formatCount(replay.segments)} segment${replay.segments === 1 ? '' : 's'}, ${duration(replay.drainMs)} waiting for the pipeline)`
    + (replay.duplicates > 0 ? `; ${formatCount(replay.duplicates)} dropped as already on the stream` : '')]);
  rows.push(['signals', `${formatCount(flow.signals)}${input.pace === 'lockstep' ? ` (forecast ${formatCount(replay.forecastSignals)})` : ''}`]);
  rows.push(['risk decisions', `${formatCount(flow.allowed)} allowed, ${formatCount(flow.denied)} denied${flow.denied > 0 ? ` (${counted(flow.denialsByCode, 4)})` : ''}`]);
  const unfinished = flow.unfinished > 0 ? `; ${flow.unfinished} not final yet` : ', all final';
  rows.push(['orders', flow.ordersByState.size > 0 ? `${counted(flow.ordersByState)}${unfinished}` : 'none']);
  if (performance) {
    const s = performance.summary;
    const open = input.broker ? `, ${input.broker.positions} position${input.broker.positions === 1 ? '' : 's'} still open` : '';
    rows.push(['trades', `${formatCount(s.trades)} closed (${s.wins} won, ${s.losses} lost${s.winRate === null ? '' : `, win rate ${(s.winRate * 100).toFixed(0)} %`}${s.profitFactor === null ? '' : `, profit factor ${s.profitFactor.toFixed(2)}`})${open}`]);
    const currency = input.broker?.currency ?? '';
    const equity = performance.startEquity !== null && performance.endEquity !== null ? ` (equity ${money(performance.startEquity)} → ${money(performance.endEquity)})` : '';
    rows.push(['net profit', `${money(Number(s.netProfit))} ${currency}${equity}`.replace(/\s+\(/, ' (')]);
    const dd = performance.maxDrawdown.money;
    const ddPercent = performance.maxDrawdown.percent;
    rows.push(['max drawdown', dd ? `${money(dd.money)} ${currency} (${(ddPercent ?? dd).percent.toFixed(2)} %), ${isoWhen(dd.peakTime)} → ${isoWhen(dd.troughTime)}` : 'none']);
  } else {
    rows.push(['trades', `not available: ${input.performanceError ?? 'reporting did not answer'}`]);
  }
  rows.push(['trading state', input.tradingState + (input.tradingState.startsWith('ACTIVE') ? '' : ' (resume: npm start -- --resume-trading)')]);
  rows.push(['HTML report', input.report.path ?? `not written: ${input.report.error}`]);
  rows.push(['ops gateway', `${input.gatewayUrl}  (REST /api/v1, OpenAPI ${input.gatewayUrl}/docs, health ${input.gatewayUrl}/api/v1/health)`]);
  rows.push(['admin API key', input.adminKey.key ? `${input.adminKey.key}  (kept in ${input.adminKey.file})` : `none: ${input.adminKey.error}`]);
  const lines = rows.map(([label, value]) => `  ${label.padEnd(15)} ${value}`);
  if (input.adminKey.key) {
    lines.push(`  ${''.padEnd(15)} curl -H 'X-API-Key: ${input.adminKey.key}' '${input.gatewayUrl}/api/v1/reports/performance?account=${input.account}'`);
  }
  if (!replay.drained) lines.push('  ! the pipeline had not drained when the run stopped waiting: the figures above may still change');
  const filled = flow.ordersByState.get('FILLED') ?? 0;
  if (performance && input.broker && filled > performance.summary.trades + input.broker.positions) {
    // Every filled order of a run opens a position (hedging account, signals only open): each is a closed trade or still open.
    lines.push(`  ! ${filled} orders filled, but reporting holds ${performance.summary.trades} closed trades and the simulator ${input.broker.positions} open positions: reporting's trade history is missing some`);
  }
  if (rate > 0 && input.storedBars > replay.published) {
    lines.push(`  the whole stored history (${formatCount(input.storedBars)} bars) would take about ${duration((input.storedBars / rate) * 1000)} at this rate: npm start -- --all`);
  }
  return lines;
}
