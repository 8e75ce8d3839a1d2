import { describe, expect, it } from '@jest/globals';
import { equityCurveSvg, formatTime, renderBacktestReport, runBacktest, type BacktestInstrument } from './index.js';
import { eurusdM1 } from '../indicators/testing/shared-market-data.fixture.js';

const EURUSD: BacktestInstrument = {
  symbol: 'EURUSD', venue: 'shared-data', digits: 5, point: 0.00001, tickSize: 0.00001, tickValue: 1, contractSize: 100_000,
  baseCurrency: 'EUR', profitCurrency: 'USD', marginCurrency: 'EUR', volumeMin: 0.01, volumeMax: 100, volumeStep: 0.01,
  stopsLevel: 0, tradeMode: 'FULL', defaultSpreadPoints: 10,
};

describe('backtest report', () => {
  it('draws the closed-trade balance as a stepped polyline and each day as a dot, scaled into the frame', () => {
    const svg = equityCurveSvg(
      [{ time: 0, equity: 100 }, { time: 10, equity: 110 }, { time: 20, equity: 90 }],
      [{ time: 20, equity: 95 }],
    );
    // Points: start, (step to t=10 at 100, then 110), (step to t=20 at 110, then 90): 5 pairs.
    // Frame x 72..944 for t 0..20; y 16..284 for equity 110..90, so 100 sits at y 150.
    const points = /<polyline points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(points).toHaveLength(5);
    expect(points[0]).toBe('72.0,150.0');
    expect(points[2]).toBe('508.0,16.0');
    expect(points.at(-1)).toBe('944.0,284.0');
    expect(svg.match(/<circle /g)).toHaveLength(1);
  });

  it('renders a self-contained page with the equity curve, metrics and trades of a real run', () => {
    const bars = eurusdM1().slice(0, 5_000);
    const result = runBacktest(bars, {
      strategyId: 'x<script>', strategyKind: 'ma-crossover', params: { fast: 10, slow: 30 }, instrument: EURUSD,
      initialBalance: 10_000, riskPercent: 1, commissionPerLotPerSide: 7,
    });
    const html = renderBacktestReport(result, {
      source: 'EURUSD_M1.mt5-export.csv', initialBalance: 10_000, riskPercent: 1, commissionPerLotPerSide: 7, spread: '10 points', accountCurrency: 'USD',
    });
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).not.toContain('x<script>');
    expect(html).toContain('x&lt;script&gt;');
    expect(html).not.toMatch(/(src|href)="http/);
    expect(html.match(/<tr><td>\d+<\/td><td>(BUY|SELL)<\/td>/g)).toHaveLength(result.trades.length);
    expect(html).toContain(`Trades</th><td>${result.metrics.trades} (`);
    expect(formatTime(bars[0].openTime)).toBe('2022-01-04 18:00');
  });
});
