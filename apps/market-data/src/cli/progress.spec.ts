import { describe, expect, it } from '@jest/globals';
import { formatCount, ProgressReporter } from './progress.js';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (text: string) => writes.push(text) } };
}

describe('progress on stderr', () => {
  it('prints a plain line per 10 % when stderr is not a terminal, never a carriage return', () => {
    const { writes, stream } = sink(false);
    const progress = new ProgressReporter(stream, 'GBPUSD_M1.csv');
    for (let done = 0; done <= 1000; done += 10) progress.update(done, 1000, `${done} bars`);
    progress.finish();
    expect(writes).toHaveLength(11);
    expect(writes[0]).toBe('GBPUSD_M1.csv: 0% 0 bars\n');
    expect(writes[10]).toBe('GBPUSD_M1.csv: 100% 1000 bars\n');
    expect(writes.join('')).not.toContain('\r');
  });

  it('redraws one line on a terminal, at most ten times a second, and always shows the end', () => {
    const { writes, stream } = sink(true);
    const progress = new ProgressReporter(stream, 'replay');
    for (let done = 0; done <= 1000; done++) progress.update(done, 1000);
    progress.finish();
    expect(writes.length).toBeLessThan(10);
    expect(writes.every((text) => text.startsWith('\r') || text === '\n')).toBe(true);
    expect(writes.at(-2)).toContain('[############################] 100%');
    expect(writes.at(-1)).toBe('\n');
  });

  it('stays silent when disabled (--json)', () => {
    const { writes, stream } = sink(true);
    new ProgressReporter(stream, 'import', false).update(5, 10);
    expect(writes).toEqual([]);
  });

  it('groups thousands the same way on every machine', () => {
    expect(formatCount(149_993)).toBe('149,993');
    expect(formatCount(12.6)).toBe('13');
  });
});
