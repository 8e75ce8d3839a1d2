import { describe, expect, it } from '@jest/globals';
import { PublishedMarks } from './published-marks.js';

describe('PublishedMarks', () => {
  it('writes the marks of many commits as one write, a moment later', async () => {
    const writes: string[][] = [];
    const marks = new PublishedMarks(async (keys) => { writes.push([...keys]); }, 10);
    marks.add(['1', '2']);
    marks.add([]);
    marks.add(['3']);
    expect(writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(writes).toEqual([['1', '2', '3']]);
  });

  it('writes what is gathered at once on flush, and nothing when nothing is', async () => {
    const writes: string[][] = [];
    const marks = new PublishedMarks(async (keys) => { writes.push([...keys]); }, 60_000);
    await marks.flush();
    marks.add(['7']);
    await marks.flush();
    expect(writes).toEqual([['7']]);
  });

  it('goes on writing after a write failed (the failed marks are dropped, never an unhandled rejection)', async () => {
    const writes: string[][] = [];
    let fail = true;
    const marks = new PublishedMarks(async (keys) => {
      if (fail) throw new Error('connection terminated');
      writes.push([...keys]);
    }, 5);
    marks.add(['1']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    fail = false;
    marks.add(['2']);
    await marks.flush();
    expect(writes).toEqual([['2']]);
  });
});
