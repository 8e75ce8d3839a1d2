import { describe, expect, it } from '@jest/globals';
import { lockstepSegments, mergeOverlapping, planReplay, type SymbolCoverage } from './replay-plan.js';

const MIN = 60_000;
const DAY = 86_400_000;
const t = (iso: string) => Date.parse(`${iso}Z`);

/** Spans of the shared files (first and last bar open times, UTC), as market-data reports them. */
const shared: SymbolCoverage[] = [
  { symbol: 'EURUSD', first: t('2022-01-04T18:00'), last: t('2022-02-22T15:25') },
  { symbol: 'GBPUSD', first: t('2021-01-25T02:48'), last: t('2021-03-12T21:59') },
  { symbol: 'USDJPY', first: t('2021-01-24T22:10'), last: t('2021-03-12T21:59') },
];
const symbols = ['EURUSD', 'GBPUSD', 'USDJPY'];

describe('planReplay', () => {
  it('starts every symbol at its first bar on a fresh install and merges the windows that overlap, oldest first', () => {
    const plan = planReplay({ symbols, coverage: shared, processedUpTo: new Map(), limitDays: 1 });
    expect(plan.jobs).toEqual([
      { symbols: ['USDJPY', 'GBPUSD'], from: t('2021-01-24T22:10'), to: t('2021-01-25T02:48') + DAY },
      { symbols: ['EURUSD'], from: t('2022-01-04T18:00'), to: t('2022-01-05T18:00') },
    ]);
    expect(plan.notes).toEqual([]);
  });

  it('continues each symbol at the minute after the last bar its strategies evaluated', () => {
    const plan = planReplay({ symbols: ['GBPUSD'], coverage: shared, processedUpTo: new Map([['GBPUSD', t('2021-01-27T05:59')]]), limitDays: 0.25 });
    expect(plan.jobs).toEqual([{ symbols: ['GBPUSD'], from: t('2021-01-27T06:00'), to: t('2021-01-27T12:00') }]);
  });

  it('ends a window at the last stored bar and says so when the history is used up', () => {
    const nearEnd = planReplay({ symbols: ['EURUSD'], coverage: shared, processedUpTo: new Map([['EURUSD', t('2022-02-22T12:00')]]), limitDays: 1 });
    expect(nearEnd.jobs).toEqual([{ symbols: ['EURUSD'], from: t('2022-02-22T12:01'), to: t('2022-02-22T15:26') }]);
    const usedUp = planReplay({ symbols: ['EURUSD'], coverage: shared, processedUpTo: new Map([['EURUSD', t('2022-02-22T15:25')]]), limitDays: 1 });
    expect(usedUp.jobs).toEqual([]);
    expect(usedUp.notes).toEqual(['EURUSD: the strategies already evaluated its bars up to 2022-02-22T15:25Z; nothing new to replay (the stored history is used up)']);
  });

  it('replays the whole history without a day limit', () => {
    const plan = planReplay({ symbols, coverage: shared, processedUpTo: new Map() });
    expect(plan.jobs.map((job) => [job.symbols, job.to - job.from])).toEqual([
      [['USDJPY', 'GBPUSD'], t('2021-03-12T22:00') - t('2021-01-24T22:10')],
      [['EURUSD'], t('2022-02-22T15:26') - t('2022-01-04T18:00')],
    ]);
  });

  it('clips an explicit range to what is stored and skips the part the strategies already evaluated', () => {
    const plan = planReplay({
      symbols, coverage: shared, processedUpTo: new Map([['USDJPY', t('2021-02-01T12:00')]]), from: t('2021-02-01T00:00'), to: t('2021-02-02T00:00'),
    });
    expect(plan.jobs).toEqual([
      { symbols: ['GBPUSD', 'USDJPY'], from: t('2021-02-01T00:00'), to: t('2021-02-02T00:00') },
    ]);
    expect(plan.notes).toEqual([
      'EURUSD: no stored bars in the requested range (stored 2022-01-04T18:00Z → 2022-02-22T15:25Z)',
      'USDJPY: the strategies already evaluated its bars up to 2021-02-01T12:00Z; replaying from the minute after',
    ]);
  });

  it('leaves out a symbol with no stored bars', () => {
    expect(planReplay({ symbols: ['XAUUSD'], coverage: shared, processedUpTo: new Map(), limitDays: 1 }).notes).toEqual(['XAUUSD: no M1 bars stored; left out']);
  });
});

describe('mergeOverlapping', () => {
  it('keeps windows that only touch apart (a replay of [a, b) and one of [b, c) do not overlap)', () => {
    expect(mergeOverlapping([{ symbols: ['A'], from: 0, to: 10 }, { symbols: ['B'], from: 10, to: 20 }])).toHaveLength(2);
  });
});

describe('lockstepSegments', () => {
  const job = { from: t('2021-01-25T10:00'), to: t('2021-01-25T11:00') };

  it('gives every forecast signal bar a segment of its own minute, preceded by the bars up to it', () => {
    expect(lockstepSegments(job, [t('2021-01-25T10:30'), t('2021-01-25T10:31'), t('2021-01-25T10:30')])).toEqual([
      { from: job.from, to: t('2021-01-25T10:30'), signalBar: false },
      { from: t('2021-01-25T10:30'), to: t('2021-01-25T10:31'), signalBar: true },
      { from: t('2021-01-25T10:31'), to: t('2021-01-25T10:32'), signalBar: true },
      { from: t('2021-01-25T10:32'), to: job.to, signalBar: false },
    ]);
  });

  it('covers the job exactly, with no empty segment, when signals sit at its edges or outside it', () => {
    const segments = lockstepSegments(job, [job.from, job.to - MIN, job.to, job.from - MIN]);
    expect(segments).toEqual([
      { from: job.from, to: job.from + MIN, signalBar: true },
      { from: job.from + MIN, to: job.to - MIN, signalBar: false },
      { from: job.to - MIN, to: job.to, signalBar: true },
    ]);
  });

  it('is the whole job in one segment without signals', () => {
    expect(lockstepSegments(job, [])).toEqual([{ ...job, signalBar: false }]);
  });
});
