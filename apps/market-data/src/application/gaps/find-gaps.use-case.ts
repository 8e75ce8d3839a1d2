import type { Timeframe } from '@mt5/contracts';
import { findGaps, sessionCalendar, type BarAlignment, type BarGap } from '@mt5/domain/market';
import type { BarsRepository } from '../../adapters/bars.repository.js';
import type { InstrumentsUseCase } from '../instruments/instruments.use-case.js';

/** Latest time the repository is asked about: far enough, and still a year Postgres accepts. */
export const FAR_FUTURE = Date.UTC(9999, 11, 31);

export interface FindGapsRequest {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly minBars?: number;
  /** Look only in `[from, to)`, including before the first and after the last stored bar. */
  readonly from?: number;
  readonly to?: number;
}

export interface FindGapsResult {
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Bars looked at. */
  readonly bars: number;
  readonly gaps: readonly BarGap[];
  readonly missingBars: number;
  /** Clock of the instrument's session windows (weekends are judged on it). */
  readonly sessionTimeZone: string;
}

/** A symbol without a known specification (and so without sessions). */
export class UnknownInstrumentError extends Error {
  readonly code = 'MD.UNKNOWN_INSTRUMENT';
  readonly retryable = false;
  constructor(venue: string, symbol: string) {
    super(`no instrument ${venue}/${symbol}: its trading sessions are unknown (run "instruments load", or check --venue)`);
    this.name = 'UnknownInstrumentError';
  }
}

/**
 * Missing bars of a stored series inside its instrument's trading sessions (weekends and breaks
 * are not gaps). Gaps stay gaps: this reports them, a backfill may fetch them, nothing invents bars.
 */
export class FindGapsUseCase {
  constructor(
    private readonly bars: BarsRepository,
    private readonly instruments: InstrumentsUseCase,
    private readonly alignment: BarAlignment | undefined,
  ) {}

  async execute(request: FindGapsRequest): Promise<FindGapsResult> {
    const spec = await this.instruments.find(request.venue, request.symbol);
    if (!spec) throw new UnknownInstrumentError(request.venue, request.symbol);
    const key = { venue: request.venue, symbol: request.symbol, timeframe: request.timeframe };
    const from = request.from ?? 0;
    const to = request.to ?? FAR_FUTURE;
    const times = await this.bars.openTimes(key, from, to);
    const ranged = request.from !== undefined && request.to !== undefined;
    const gaps = findGaps(times.map((openTime) => ({ openTime })), {
      timeframe: request.timeframe, sessions: sessionCalendar(spec.sessions), minBars: request.minBars, alignment: this.alignment,
      range: ranged ? { from, to } : undefined,
    });
    return { ...key, bars: times.length, gaps, missingBars: gaps.reduce((sum, gap) => sum + gap.missingBars, 0), sessionTimeZone: spec.sessions.timeZone ?? 'UTC' };
  }
}
