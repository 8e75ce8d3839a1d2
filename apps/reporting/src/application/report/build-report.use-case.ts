import { listDailyRows, listPositions } from '../../adapters/db/history-queries.repository.js';
import { listRiskEvents } from '../../adapters/db/risk-events.repository.js';
import { listSnapshots } from '../../adapters/db/snapshots.repository.js';
import type { Queryable } from '../../adapters/db/transaction.js';
import { analyseHistory, type AnalysisRequest } from '../performance/performance-analysis.use-case.js';
import { renderReportHtml, type ReportModel } from './report-html.renderer.js';

/** Gathers what a report shows for an account (optionally one strategy or symbol) and period. */
export async function loadReportModel(db: Queryable, request: AnalysisRequest, generatedAt: number): Promise<ReportModel> {
  const result = await analyseHistory(db, request);
  const from = result.from ?? undefined;
  const to = result.to ?? undefined;
  const [daily, riskEvents, positions, firstSnapshot] = await Promise.all([
    listDailyRows(db, request.account, { strategyId: request.strategyId ?? '', symbol: request.symbol ?? '' }, from, to),
    listRiskEvents(db, request.account, from, to),
    listPositions(db, { account: request.account, symbol: request.symbol, status: 'OPEN' }, 500),
    listSnapshots(db, request.account, undefined, undefined, 1),
  ]);
  const openPositions = request.strategyId ? positions.filter((p) => p.strategyId === request.strategyId) : positions;
  return { result, daily, riskEvents, openPositions, currency: firstSnapshot[0]?.currency ?? null, generatedAt };
}

/** The HTML report for a request. */
export async function buildReportHtml(db: Queryable, request: AnalysisRequest, generatedAt: number): Promise<string> {
  return renderReportHtml(await loadReportModel(db, request, generatedAt));
}
