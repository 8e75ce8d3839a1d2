import { Subjects } from '@mt5/contracts';
import type { DrawdownEpisode } from '@mt5/domain/analytics';
import { QueryError, serveQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import { isTransientDbError } from '@mt5/infra/prisma';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { decodeCursor, listDailyRows, listPositions, listTradesPage } from '../db/history-queries.repository.js';
import { listSnapshots } from '../db/snapshots.repository.js';
import { analyseHistory, type AnalysisRequest } from '../../application/performance/performance-analysis.use-case.js';
import { buildReportHtml } from '../../application/report/build-report.use-case.js';
import type { Clock } from '../../reporting.tokens.js';
import {
  ReportingQueryNames, assessmentQuerySchema, performanceQuerySchema, positionsQuerySchema, reportQuerySchema, snapshotsQuerySchema,
  tradesQuerySchema, type PerformanceQuery,
} from './query.schemas.js';

/** NATS' default max payload is 1 MiB; leave room for the reply envelope. */
const MAX_REPORT_BYTES = 900_000;

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());
const ms = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

function episode(value: DrawdownEpisode | null) {
  return value && { ...value, peakTime: iso(value.peakTime), troughTime: iso(value.troughTime), recoveryTime: iso(value.recoveryTime) };
}

function toRequest(query: PerformanceQuery): AnalysisRequest {
  return { account: query.account, strategyId: query.strategy, symbol: query.symbol, from: ms(query.from), to: ms(query.to) };
}

/** Database failures become query errors: retryable when the database is unavailable. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryError) throw error;
    if (isTransientDbError(error)) throw new QueryError('RPT.DB_UNAVAILABLE', (error as Error).message, true);
    throw Object.assign(new Error((error as Error).message), { code: 'RPT.QUERY_FAILED', cause: error });
  }
}

/**
 * Serves the reporting queries for the ops gateway on `rpt.qry.<name>` (queue group `reporting`,
 * so instances share the load). Replies are `{ ok: true, data }` or `{ ok: false, error }`.
 */
export function serveReportingQueries(nc: NatsConnection, pool: pg.Pool, clock: Clock, logger: Logger, provision?: ProvisionOptions): Subscription[] {
  const serve = <Req>(name: string, request: ZodType<Req>, handle: (req: Req) => Promise<unknown>) =>
    serveQuery(nc, { subject: subjectIn(Subjects.query('reporting', name), provision), queue: 'reporting', request, handle: (req) => guarded(() => handle(req)) }, logger);

  return [
    serve(ReportingQueryNames.trades, tradesQuerySchema, async (q) => {
      const cursor = q.cursor === undefined ? null : decodeCursor(q.cursor);
      if (q.cursor !== undefined && cursor === null) throw new QueryError('RPT.INVALID_CURSOR', 'cursor is not one this service issued');
      const page = await listTradesPage(pool, { account: q.account, strategyId: q.strategy, symbol: q.symbol, from: ms(q.from), to: ms(q.to) }, q.limit, cursor);
      return { items: page.items.map((t) => ({ ...t, entryTime: iso(t.entryTime), exitTime: iso(t.exitTime) })), nextCursor: page.nextCursor };
    }),
    serve(ReportingQueryNames.positions, positionsQuerySchema, async (q) => ({ items: await listPositions(pool, q, q.limit) })),
    serve(ReportingQueryNames.snapshots, snapshotsQuerySchema, async (q) => ({ items: await listSnapshots(pool, q.account, ms(q.from), ms(q.to), q.limit) })),
    serve(ReportingQueryNames.performance, performanceQuerySchema, async (q) => {
      const result = await analyseHistory(pool, toRequest(q));
      const a = result.analysis;
      const daily = await listDailyRows(pool, q.account, { strategyId: q.strategy ?? '', symbol: q.symbol ?? '' }, result.from ?? undefined, result.to ?? undefined);
      return {
        account: q.account, strategy: q.strategy ?? null, symbol: q.symbol ?? null, from: iso(result.from), to: iso(result.to), equitySource: result.equitySource,
        summary: { ...a.summary, firstEntryTime: iso(a.summary.firstEntryTime), lastExitTime: iso(a.summary.lastExitTime) },
        startEquity: a.startEquity, endEquity: a.endEquity, returnPercent: a.returnPercent,
        maxDrawdown: { money: episode(a.maxDrawdownMoney), percent: episode(a.maxDrawdownPercent) }, recoveryFactor: a.recoveryFactor,
        sharpe: a.sharpe, sortino: a.sortino, returnDays: a.returnDays, exposure: a.exposure, exitReasons: a.exitReasons,
        breakdowns: a.breakdowns, monthly: a.monthly, daily,
      };
    }),
    serve(ReportingQueryNames.assessment, assessmentQuerySchema, async (q) => {
      const { assessment } = await analyseHistory(pool, toRequest(q));
      return { subject: { ...assessment.subject, from: iso(assessment.subject.from), to: iso(assessment.subject.to) }, findings: assessment.findings, text: assessment.text };
    }),
    serve(ReportingQueryNames.report, reportQuerySchema, async (q) => {
      const html = await buildReportHtml(pool, toRequest(q), clock.now());
      const bytes = Buffer.byteLength(html);
      if (bytes > MAX_REPORT_BYTES) {
        throw new QueryError('RPT.REPORT_TOO_LARGE', `report is ${bytes} bytes, over the ${MAX_REPORT_BYTES} a reply can carry; narrow the range or use the CLI`);
      }
      return { contentType: 'text/html; charset=utf-8', bytes, html };
    }),
  ];
}
