import { describe, expect, it } from '@jest/globals';
import { importBarLines, importBarLinesAsync, importBarText } from './bar-import.js';
import { BarImportOptionError, BarImportSession } from './bar-import.session.js';
import type { BarImportOptions, LineOutcome } from './bar-import.types.js';

const gbp: BarImportOptions = { venue: 'mt5-demo', symbol: 'GBPUSD' };
const utc = (text: string) => Date.parse(`${text}Z`);

// Each line is numbered as in the file; the comment says what is wrong with it, if anything.
const planted = [
  '2021-01-25 02:48,1.36977,1.36984,1.3696,1.36964,47', //  1 ok
  '2021-01-25 02:49,NaN,1.36971,1.36955,1.3697,13', //       2 NaN open
  '2021-01-25 02:50,1.36971,1.36960,1.36968,1.36975,13', //  3 high below low
  '2021-01-25 02:52,1.36971,1.36976,1.36968,1.36975,13', //  4 ok
  '2021-01-25 02:51,1.36971,1.36976,1.36968,1.36975,13', //  5 before line 4
  '2021-01-25 02:52,1.36971,1.36976,1.36968,1.36975,13', //  6 same as line 4
  '2021-01-25 02:52,1.36971,1.36980,1.36968,1.36975,13', //  7 line 4's time, other high
  '2021-01-25 02:53:30,1.3697,1.3698,1.3696,1.3697,5', //    8 not a minute start
  'this is not a bar', //                                    9 malformed
  '2021-01-25 02:54,1.3697,1.3698,1.3696,1.3697,5', //      10 ok
  '2021-01-25 02:55,1.3695,1.3696,1.3695,1.3697,5', //      11 high below close
  '2021-01-25 02:56,1.3697,1.3698,1.3698,1.3697,5', //      12 low above open
  '2021-01-25 02:57,-1.3697,1.3698,1.3696,1.3697,5', //     13 negative open
  '2021-01-25 02:58,1.3697,1.3698,1.3696,0x1F,5', //        14 hexadecimal close
  '2021-02-30 02:59,1.3697,1.3698,1.3696,1.3697,5', //      15 no such date
  '2021-01-25 03:00,1.3697,1.3698,1.3696,1.3697,-5', //     16 negative volume
  '2021-01-25 02:49,1.36966,1.36971,1.36955,1.3697,13', //  17 older than line 10, never accepted
  '2021-01-25 02:48,1.36977,1.36984,1.3696,1.36964,47', //  18 same as line 1
  '2021-01-25 02:48,1.36977,1.36984,1.3696,1.36965,47', //  19 line 1's time, other close
  '', //                                                    20 blank
  '2021-01-25 03:01,1.3697,1.3698,1.3696,1.3697,5', //      21 ok
].join('\r\n');

describe('validating bar lines', () => {
  const { bars, summary } = importBarText(planted, gbp);

  it('keeps the valid lines and reports every bad one by line number and code', () => {
    expect(bars.map((bar) => new Date(bar.openTime).toISOString().slice(11, 16))).toEqual(['02:48', '02:52', '02:54', '03:01']);
    expect(summary.rejects.map(({ line, code }) => [line, code])).toEqual([
      [2, 'MD.NON_FINITE_PRICE'],
      [3, 'MD.HIGH_BELOW_LOW'],
      [5, 'MD.OUT_OF_ORDER'],
      [6, 'MD.DUPLICATE'],
      [7, 'MD.DUPLICATE_CONFLICT'],
      [8, 'MD.MISALIGNED'],
      [9, 'MD.MALFORMED_LINE'],
      [11, 'MD.HIGH_BELOW_BODY'],
      [12, 'MD.LOW_ABOVE_BODY'],
      [13, 'MD.NON_POSITIVE_PRICE'],
      [14, 'MD.MALFORMED_PRICE'],
      [15, 'MD.INVALID_TIME'],
      [16, 'MD.INVALID_VOLUME'],
      [17, 'MD.OUT_OF_ORDER'],
      [18, 'MD.DUPLICATE'],
      [19, 'MD.DUPLICATE_CONFLICT'],
    ]);
  });

  it('counts duplicates apart from rejects, identical apart from conflicting', () => {
    expect(summary).toMatchObject({
      format: 'plain-csv', accepted: 4, rejected: 12, duplicates: 4, identicalDuplicates: 2, conflictingDuplicates: 2, blankLines: 1,
      firstTime: utc('2021-01-25T02:48'), lastTime: utc('2021-01-25T03:01'), unlistedRejects: 0,
    });
  });

  it('says in each message what is wrong, with the values', () => {
    const message = (line: number) => summary.rejects.find((reject) => reject.line === line)?.message;
    expect(message(2)).toBe('open "NaN" is not a finite number');
    expect(message(3)).toBe('high 1.36960 is below low 1.36968');
    expect(message(5)).toBe('open time 2021-01-25T02:51:00.000Z is before the previous bar 2021-01-25T02:52:00.000Z');
    expect(message(7)).toBe('open time 2021-01-25T02:52:00.000Z repeats an accepted bar with different values; the first is kept');
    expect(message(8)).toBe('open time 2021-01-25T02:53:30.000Z is not the start of a M1 bar');
    expect(message(9)).toBe('expected 6 fields separated by ",", found 1');
    expect(message(11)).toBe('high 1.3696 is below close 1.3697');
    expect(message(14)).toBe('close "0x1F" is not a decimal number');
    expect(message(15)).toBe('time "2021-02-30 02:59" is not a valid date-time');
  });

  it('keeps each price exactly as written, for decimal storage', () => {
    expect(bars[0]).toMatchObject({ openText: '1.36977', highText: '1.36984', lowText: '1.3696', closeText: '1.36964', open: 1.36977, low: 1.3696, tickVolume: 47 });
  });

  it('reports a line whose field count differs from the header as malformed', () => {
    const { summary: result } = importBarText('time,open,high,low,close,tick_volume,spread\n1561939200,1.1,1.2,1.0,1.1,5,3\n1561939260,1.1,1.2,1.0,1.1,5\n', gbp);
    expect(result.rejects).toEqual([{ line: 3, code: 'MD.MALFORMED_LINE', message: 'expected 7 fields separated by ",", found 6' }]);
  });

  it('reports a repeated header inside the data instead of skipping it', () => {
    const { summary: result } = importBarText('"Time\tOpen\tHigh\tLow\tClose\tVolume"\n"2022-01-04 18:00:00\t1.1\t1.2\t1.0\t1.1\t3"\n"Time\tOpen\tHigh\tLow\tClose\tVolume"\n', gbp);
    expect(result).toMatchObject({ accepted: 1, rejected: 1, headerLine: 1 });
    expect(result.rejects[0]).toMatchObject({ line: 3, code: 'MD.INVALID_TIME' });
  });

  it('limits the listed rejects but still counts and yields them all', () => {
    const lines = ['2021-01-25 02:48,1,1,1,1,1', ...Array.from({ length: 5 }, () => 'garbage')];
    const outcomes: LineOutcome[] = [];
    const run = importBarLines(lines, { ...gbp, maxListedRejects: 2 });
    let step = run.next();
    while (!step.done) {
      outcomes.push(step.value);
      step = run.next();
    }
    expect(outcomes.filter((outcome) => outcome.kind === 'rejected')).toHaveLength(5);
    expect(step.value).toMatchObject({ rejected: 5, unlistedRejects: 3 });
    expect(step.value.rejects).toHaveLength(2);
  });

  it('gives up detection after the configured number of unrecognised lines', () => {
    const { summary: result } = importBarText('junk\njunk\n2021-01-25 02:48,1,1,1,1,1\n', { ...gbp, detectionLines: 2 });
    expect(result.accepted).toBe(0);
    expect(result.rejects[2]).toEqual({ line: 3, code: 'MD.MALFORMED_LINE', message: 'format not recognised in the first 2 lines; give the format explicitly' });
  });

  it('refuses to start with a time zone it does not know, rather than assume UTC', () => {
    expect(() => new BarImportSession({ ...gbp, timeZone: 'Europe/Atlantis' })).toThrow(BarImportOptionError);
  });

  it('checks alignment against the file timeframe', () => {
    const text = '2021-01-25 02:00,1,1,1,1,1\n2021-01-25 03:00,1,1,1,1,1\n2021-01-25 03:30,1,1,1,1,1\n';
    expect(importBarText(text, { ...gbp, timeframe: 'H1' }).summary.rejects).toEqual([
      { line: 3, code: 'MD.MISALIGNED', message: 'open time 2021-01-25T03:30:00.000Z is not the start of a H1 bar' },
    ]);
  });

  it('streams from an async line source as a file reader gives it, with one outcome per data line', async () => {
    async function* lines() {
      yield '\uFEFFtime,open,high,low,close,tick_volume,spread';
      yield '2026-06-28 22:00:00+00:00,4082.28,4084.24,4059.43,4079.36,1171,136';
      yield '2026-06-28 22:01:00+00:00,4079.36,4079.36,4073.02,4073.76,631,56';
      yield '2026-06-28 22:01:00+00:00,4079.36,4079.36,4073.02,4073.76,631,56';
    }
    const run = importBarLinesAsync(lines(), { venue: 'mt5-demo', symbol: 'XAUUSD' });
    const kinds: string[] = [];
    let step = await run.next();
    while (!step.done) {
      kinds.push(`${step.value.line}:${step.value.kind}`);
      step = await run.next();
    }
    expect(kinds).toEqual(['2:accepted', '3:accepted', '4:duplicate']);
    expect(step.value).toMatchObject({ format: 'mt5-rates', headerLine: 1, accepted: 2, duplicates: 1, identicalDuplicates: 1 });
  });
});
