import { describe, expect, it } from '@jest/globals';
import { importBarText } from '@mt5/domain/market';
import { BarCopyWriter } from './bar-copy-text.js';

const text = (writer: BarCopyWriter) => Buffer.concat(writer.takeAll()).toString('utf8');

describe('COPY text for bars', () => {
  it('writes an imported bar with the source price texts, a UTC timestamp literal and NULL for what the file lacks', () => {
    const { bars } = importBarText('2021-01-25 02:48,1.36977,1.36984,1.3696,1.36964,47\n', { venue: 'MT5', symbol: 'GBPUSD' });
    const writer = new BarCopyWriter('MT5', 'GBPUSD', 'M1');
    writer.imported(bars[0]!);
    expect(text(writer)).toBe('MT5\tGBPUSD\tM1\t2021-01-25 02:48:00+00\t1.36977\t1.36984\t1.3696\t1.36964\t47\t\\N\t\\N\n');
  });

  it('writes spread and real volume when present, and milliseconds when the time has them', () => {
    const writer = new BarCopyWriter('binance', 'BTCUSDT', 'M1');
    writer.wire({ venue: 'binance', symbol: 'BTCUSDT', timeframe: 'M1', openTime: Date.UTC(2020, 11, 1, 0, 0, 0, 250), open: '19695.87', high: '19723.31', low: '19689.59', close: '19715.44', tickVolume: 1234, spread: 0, realVolume: '104.73856' });
    expect(text(writer)).toBe('binance\tBTCUSDT\tM1\t2020-12-01 00:00:00.250+00\t19695.87\t19723.31\t19689.59\t19715.44\t1234\t0\t104.73856\n');
  });

  it('escapes a symbol COPY would misread and keeps non-ASCII symbols as UTF-8', () => {
    const writer = new BarCopyWriter('MT5', 'A\\B\tÜ', 'H1');
    writer.wire({ venue: 'MT5', symbol: 'A\\B\tÜ', timeframe: 'H1', openTime: 0, open: '1', high: '1', low: '1', close: '1', tickVolume: 0 });
    expect(text(writer)).toBe('MT5\tA\\\\B\\tÜ\tH1\t1970-01-01 00:00:00+00\t1\t1\t1\t1\t0\t\\N\t\\N\n');
  });

  it('cuts output into chunks of whole lines and loses none across the cuts', () => {
    const writer = new BarCopyWriter('MT5', 'EURUSD', 'M1');
    const count = 10_000;
    const chunks: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      writer.wire({ venue: 'MT5', symbol: 'EURUSD', timeframe: 'M1', openTime: Date.UTC(2022, 0, 3) + i * 60_000, open: '1.13000', high: '1.13010', low: '1.12990', close: '1.13005', tickVolume: i });
      chunks.push(...writer.takeReady());
    }
    chunks.push(...writer.takeAll());
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk[chunk.length - 1]).toBe(10);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(count);
    expect(lines[count - 1]).toBe(`MT5\tEURUSD\tM1\t2022-01-09 22:39:00+00\t1.13000\t1.13010\t1.12990\t1.13005\t${count - 1}\t\\N\t\\N`);
  });
});
