const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** What is stored for one symbol (open times of its first and last M1 bars, epoch ms). */
export interface SymbolCoverage {
  readonly symbol: string;
  readonly first: number;
  readonly last: number;
}

/** One replay: these symbols' bars with open time in `[from, to)`, merged in time order. */
export interface ReplayJob {
  readonly symbols: readonly string[];
  readonly from: number;
  readonly to: number;
}

export interface ReplayPlan {
  readonly jobs: readonly ReplayJob[];
  /** One line per symbol that is left out or shortened, saying why. */
  readonly notes: readonly string[];
}

export interface PlanRequest {
  readonly symbols: readonly string[];
  readonly coverage: readonly SymbolCoverage[];
  /**
   * Newest bar (open time) the enabled strategies have already evaluated, per symbol. A strategy
   * skips every bar at or before it, so replaying those again produces nothing.
   */
  readonly processedUpTo: ReadonlyMap<string, number>;
  /** Explicit range `[from, to)`; when absent, each symbol continues after its processed bars. */
  readonly from?: number;
  readonly to?: number;
  /** Length of each symbol's window without an explicit range; undefined = to the end of its history. */
  readonly limitDays?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');

/**
 * Decides what to replay. Without an explicit range every symbol continues where its strategies
 * stopped (a second run trades the next days, not the same ones again), for `limitDays` days or
 * to the end of its history. Windows that overlap become one job (one time-ordered merge), and
 * jobs run oldest first, so the simulator's clock, which follows the replayed bars, never goes back.
 */
export function planReplay(request: PlanRequest): ReplayPlan {
  const notes: string[] = [];
  const windows: ReplayJob[] = [];
  for (const symbol of request.symbols) {
    const coverage = request.coverage.find((entry) => entry.symbol === symbol);
    if (!coverage) {
      notes.push(`${symbol}: no M1 bars stored; left out`);
      continue;
    }
    const processed = request.processedUpTo.get(symbol);
    const end = coverage.last + MINUTE_MS;
    let from: number;
    let to: number;
    if (request.from !== undefined && request.to !== undefined) {
      from = Math.max(request.from, coverage.first);
      to = Math.min(request.to, end);
    } else {
      if (processed !== undefined && processed + MINUTE_MS >= end) {
        notes.push(`${symbol}: the strategies already evaluated its bars up to ${iso(processed)}; nothing new to replay (the stored history is used up)`);
        continue;
      }
      from = processed === undefined ? coverage.first : Math.max(coverage.first, processed + MINUTE_MS);
      to = request.limitDays === undefined ? end : Math.min(end, from + request.limitDays * DAY_MS);
    }
    if (processed !== undefined && processed >= from) {
      if (processed + MINUTE_MS >= to) {
        notes.push(`${symbol}: the strategies already evaluated its bars up to ${iso(processed)}; nothing new to replay in this range`);
        continue;
      }
      notes.push(`${symbol}: the strategies already evaluated its bars up to ${iso(processed)}; replaying from the minute after`);
      from = processed + MINUTE_MS;
    }
    if (to <= from) {
      notes.push(`${symbol}: no stored bars in the requested range (stored ${iso(coverage.first)} → ${iso(coverage.last)})`);
      continue;
    }
    windows.push({ symbols: [symbol], from, to });
  }
  return { jobs: mergeOverlapping(windows), notes };
}

/** Overlapping windows become one job over their union, with the union of their symbols. */
export function mergeOverlapping(windows: readonly ReplayJob[]): ReplayJob[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from || a.to - b.to);
  const jobs: { symbols: string[]; from: number; to: number }[] = [];
  for (const window of sorted) {
    const last = jobs[jobs.length - 1];
    if (last && window.from < last.to) {
      last.to = Math.max(last.to, window.to);
      for (const symbol of window.symbols) if (!last.symbols.includes(symbol)) last.symbols.push(symbol);
    } else {
      jobs.push({ symbols: [...window.symbols], from: window.from, to: window.to });
    }
  }
  return jobs;
}

/**
 * Cuts a job into segments for the lockstep pace: every bar expected to produce a signal gets a
 * segment of its own minute, preceded by a segment up to it. Returns `[from, to)` pairs covering
 * `[job.from, job.to)` exactly, in order, with no empty segment.
 */
export function lockstepSegments(job: Pick<ReplayJob, 'from' | 'to'>, signalBarTimes: readonly number[]): { from: number; to: number; signalBar: boolean }[] {
  const segments: { from: number; to: number; signalBar: boolean }[] = [];
  let cursor = job.from;
  const times = [...new Set(signalBarTimes)].filter((t) => t >= job.from && t < job.to).sort((a, b) => a - b);
  for (const time of times) {
    if (time > cursor) segments.push({ from: cursor, to: time, signalBar: false });
    cursor = Math.min(time + MINUTE_MS, job.to);
    segments.push({ from: time, to: cursor, signalBar: true });
  }
  if (cursor < job.to) segments.push({ from: cursor, to: job.to, signalBar: false });
  return segments;
}
