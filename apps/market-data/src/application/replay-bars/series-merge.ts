import type { BarsRepository, SeriesKey } from '../../adapters/bars.repository.js';
import type { WireBar } from '../../adapters/wire-bar.js';

const PAGE = 2_000;

/** Reads one series page by page (keyset on open time), fetching the next page while the current one is consumed. */
class SeriesCursor {
  private page: WireBar[] = [];
  private index = 0;
  private nextPage: Promise<WireBar[]> | undefined;
  private exhausted = false;

  constructor(private readonly bars: BarsRepository, readonly key: SeriesKey, private after: number, private readonly before: number) {}

  get current(): WireBar | undefined {
    return this.page[this.index];
  }

  /** Moves on; returns false when the page ran out (call {@link refill}). */
  advance(): boolean {
    this.index++;
    return this.index < this.page.length;
  }

  async refill(): Promise<void> {
    if (this.exhausted) {
      this.page = [];
      this.index = 0;
      return;
    }
    const page = await (this.nextPage ?? this.fetch());
    this.nextPage = undefined;
    this.page = page;
    this.index = 0;
    if (page.length < PAGE) {
      this.exhausted = true;
      return;
    }
    this.after = page[page.length - 1]!.openTime;
    this.nextPage = this.fetch();
    // A prefetch that fails is reported by the refill that awaits it, not as an unhandled rejection.
    this.nextPage.catch(() => undefined);
  }

  private fetch(): Promise<WireBar[]> {
    return this.bars.page(this.key, this.after, this.before, PAGE);
  }
}

const BATCH = 1_000;

/**
 * Stored bars of several series with `from <= openTime < to`, merged into one sequence in global
 * time order (ties in the order the series were given), streaming in batches of up to 1000 bars:
 * memory is two pages per series.
 */
export async function* mergeSeries(bars: BarsRepository, keys: readonly SeriesKey[], from: number, to: number): AsyncGenerator<WireBar[]> {
  const cursors = keys.map((key) => new SeriesCursor(bars, key, from - 1, to));
  await Promise.all(cursors.map((cursor) => cursor.refill()));
  let batch: WireBar[] = [];
  for (;;) {
    let chosen: SeriesCursor | undefined;
    let earliest = Number.POSITIVE_INFINITY;
    for (const cursor of cursors) {
      const bar = cursor.current;
      if (bar !== undefined && bar.openTime < earliest) {
        earliest = bar.openTime;
        chosen = cursor;
      }
    }
    if (!chosen) break;
    batch.push(chosen.current!);
    if (!chosen.advance()) {
      // Hand over what is merged before waiting for the page (usually prefetched already).
      if (batch.length > 0) yield batch;
      batch = [];
      await chosen.refill();
    } else if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
