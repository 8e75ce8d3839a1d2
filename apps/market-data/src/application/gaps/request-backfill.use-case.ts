import type { NatsConnection } from '@nats-io/transport-node';
import { barClosedSchema, Subjects, type Timeframe } from '@mt5/contracts';
import { requestQuery, subjectIn, type ProvisionOptions } from '@mt5/infra/nats';
import type { BarGap } from '@mt5/domain/market';
import { z } from 'zod';
import type { BarPublisher } from '../../adapters/bar.publisher.js';
import type { BarsRepository } from '../../adapters/bars.repository.js';
import type { WireBar } from '../../adapters/wire-bar.js';

/**
 * What market-data asks the execution gateway (`exec.qry.history`) for: the closed bars of one
 * series in `[from, to)`, which the gateway fetches from the terminal (`bars_request`).
 */
export interface HistoryRequest {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly from: string;
  readonly to: string;
}

/** The answer we accept: closed bars in the md.bar.closed payload shape (so they are checked the same way). */
export const historyReplySchema = z.object({ bars: z.array(barClosedSchema), truncated: z.boolean().optional() });

export type BackfillOutcome =
  | { readonly kind: 'filled'; readonly gap: BarGap; readonly received: number; readonly inserted: number; readonly truncated: boolean }
  /** Nobody serves history yet (the execution gateway is down or not built): say so, do not wait. */
  | { readonly kind: 'no-responders'; readonly gap: BarGap; readonly subject: string }
  | { readonly kind: 'timeout'; readonly gap: BarGap; readonly subject: string; readonly timeoutMs: number }
  | { readonly kind: 'refused'; readonly gap: BarGap; readonly code: string; readonly message: string };

function isNoResponders(error: unknown): boolean {
  const e = error as { name?: string; isNoResponders?: () => boolean; cause?: { name?: string } };
  return e?.name === 'NoRespondersError' || e?.isNoResponders?.() === true || e?.cause?.name === 'NoRespondersError';
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; cause?: { name?: string } };
  return e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError';
}

/**
 * Asks the execution gateway for the bars of each gap, stores what comes back (merging: a bar we
 * have is kept) and publishes the bars that were new. A missing or silent gateway is an outcome,
 * not a crash.
 */
export class RequestBackfillUseCase {
  constructor(
    private readonly nc: NatsConnection,
    private readonly bars: BarsRepository,
    private readonly publisher: BarPublisher,
    private readonly provision: ProvisionOptions,
    private readonly timeoutMs: number,
  ) {}

  async execute(series: { venue: string; symbol: string; timeframe: Timeframe }, gaps: readonly BarGap[]): Promise<BackfillOutcome[]> {
    const outcomes: BackfillOutcome[] = [];
    const subject = subjectIn(Subjects.query('execution', 'history'), this.provision);
    for (const gap of gaps) {
      const outcome = await this.one(subject, series, gap);
      outcomes.push(outcome);
      // Without a responder every further request fails the same way: stop asking.
      if (outcome.kind === 'no-responders') break;
    }
    return outcomes;
  }

  private async one(subject: string, series: { venue: string; symbol: string; timeframe: Timeframe }, gap: BarGap): Promise<BackfillOutcome> {
    const request: HistoryRequest = { ...series, from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString() };
    let reply;
    try {
      reply = await requestQuery<unknown>(this.nc, subject, request, this.timeoutMs);
    } catch (error) {
      if (isNoResponders(error)) return { kind: 'no-responders', gap, subject };
      if (isTimeout(error)) return { kind: 'timeout', gap, subject, timeoutMs: this.timeoutMs };
      throw error;
    }
    if (!reply.ok) return { kind: 'refused', gap, code: reply.error.code, message: reply.error.message };
    const parsed = historyReplySchema.safeParse(reply.data);
    if (!parsed.success) return { kind: 'refused', gap, code: 'MSG.SCHEMA_VIOLATION', message: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    const wanted = parsed.data.bars
      .filter((bar) => bar.venue === series.venue && bar.symbol === series.symbol && bar.timeframe === series.timeframe)
      .map((bar): WireBar => ({
        venue: bar.venue, symbol: bar.symbol, timeframe: bar.timeframe, openTime: Date.parse(bar.openTime),
        open: bar.open, high: bar.high, low: bar.low, close: bar.close, tickVolume: bar.tickVolume, spread: bar.spread, realVolume: bar.realVolume,
      }))
      .filter((bar) => bar.openTime >= gap.from && bar.openTime < gap.to)
      .sort((a, b) => a.openTime - b.openTime);
    const written = await this.bars.store(series, wanted, true);
    const inserted = new Set(written.insertedTimes);
    await this.publisher.publish(wanted.filter((bar) => inserted.has(bar.openTime)));
    return { kind: 'filled', gap, received: parsed.data.bars.length, inserted: written.inserted, truncated: parsed.data.truncated ?? false };
  }
}
