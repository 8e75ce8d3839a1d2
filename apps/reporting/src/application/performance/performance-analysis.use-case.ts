import {
  analysePerformance, assessPerformance, equityFromTrades, maxOf, minOf,
  type Assessment, type EquityPoint, type PerformanceAnalysis, type TradeFact,
} from '@mt5/domain/analytics';
import { equityCurve, snapshotBefore, snapshotRange } from '../../adapters/db/snapshots.repository.js';
import { loadTradeFacts } from '../../adapters/db/trade-rows.js';
import type { Queryable } from '../../adapters/db/transaction.js';

/** What to analyse: one account, optionally narrowed to a strategy and/or a symbol, over [from, to). */
export interface AnalysisRequest {
  readonly account: string;
  readonly strategyId?: string;
  readonly symbol?: string;
  /** Epoch ms, inclusive; default: the account's first snapshot or trade. */
  readonly from?: number;
  /** Epoch ms, exclusive; default: just after the last snapshot or trade. */
  readonly to?: number;
}

export interface AnalysisResult {
  readonly request: AnalysisRequest;
  readonly from: number | null;
  readonly to: number | null;
  readonly trades: readonly TradeFact[];
  /** The equity the figures were computed on (account snapshots, or realised for a subset). */
  readonly equity: readonly EquityPoint[];
  /** Whether `equity` is the account's marked-to-market equity or realised results only. */
  readonly equitySource: 'account-snapshots' | 'realised-trades';
  readonly analysis: PerformanceAnalysis;
  readonly assessment: Assessment;
}

/**
 * Loads the trades and equity of a request and computes the analytics and the assessment. The
 * whole account is measured on its snapshots (floating profit included); a strategy or symbol,
 * which has no equity of its own, on the account's equity at the start plus its realised nets.
 */
export async function analyseHistory(db: Queryable, request: AnalysisRequest): Promise<AnalysisResult> {
  const trades = await loadTradeFacts(db, { account: request.account, strategyId: request.strategyId, symbol: request.symbol, from: request.from, to: request.to });
  const range = await snapshotRange(db, request.account);
  const times = [...trades.flatMap((t) => [t.entryTime, t.exitTime]), ...(range ? [range.first, range.last] : [])];
  const from = request.from ?? minOf(times);
  const last = maxOf(times);
  const to = request.to ?? (last === null ? null : last + 1);
  const subset = request.strategyId !== undefined || request.symbol !== undefined;
  let equity: EquityPoint[] = [];
  if (from !== null && to !== null) {
    const before = await snapshotBefore(db, request.account, from);
    const curve = range ? await equityCurve(db, request.account, from, to) : [];
    const opening = before ? { time: from, equity: Number(before.equity), balance: Number(before.balance) } : null;
    if (!subset) {
      equity = opening ? [opening, ...curve] : curve;
    } else {
      const capital = opening?.equity ?? curve[0]?.equity ?? 0;
      equity = equityFromTrades(trades, capital, from);
    }
  }
  const analysis = analysePerformance({ trades, equity, from: from ?? undefined, to: to ?? undefined });
  const assessment = assessPerformance(analysis, { account: request.account, strategyId: request.strategyId, from, to });
  return { request, from, to, trades, equity, equitySource: subset ? 'realised-trades' : 'account-snapshots', analysis, assessment };
}
