import { describe, expect, it } from '@jest/globals';
import { duration, renderSummary, type SummaryInput } from './demo-summary.js';
import { renderBar } from './progress-bar.js';

const input: SummaryInput = {
  account: 'paper-1', pace: 'lockstep',
  jobs: [{ symbols: ['GBPUSD', 'USDJPY'], from: Date.parse('2021-01-27T06:00Z'), to: Date.parse('2021-01-27T12:00Z') }],
  replay: { published: 720, duplicates: 0, forecastSignals: 48, segments: 94, replayMs: 36_000, publishMs: 4_000, drainMs: 31_000, drained: true, cancelled: false },
  flow: { signals: 48, allowed: 15, denied: 33, denialsByCode: new Map([['RISK.TRADING_HALTED', 28], ['RISK.INVALID_STOPS', 5]]), ordersByState: new Map([['FILLED', 14], ['REJECTED', 1]]), unfinished: 0 },
  performance: {
    from: '2021-01-27T06:00:00.000Z', to: '2021-01-27T12:00:00.000Z',
    summary: { trades: 14, wins: 3, losses: 11, netProfit: '-507.35', winRate: 3 / 14, profitFactor: 0.15 },
    startEquity: 9382.19, endEquity: 8874.84,
    maxDrawdown: {
      money: { money: 562.17, percent: 5.96, peakTime: '2021-01-27T06:14:00.000Z', troughTime: '2021-01-27T09:01:00.000Z' },
      percent: { money: 562.17, percent: 5.96, peakTime: '2021-01-27T06:14:00.000Z', troughTime: '2021-01-27T09:01:00.000Z' },
    },
    exitReasons: { SL: 11, TP: 3 },
  },
  broker: { positions: 0, currency: 'USD', balance: 8874.84, equity: 8874.84 },
  report: { path: '/work/main/reports/demo.html' },
  gatewayUrl: 'http://127.0.0.1:3000',
  adminKey: { key: 'mt5_key', file: '/work/main/.data/demo/local-admin.key' },
  storedBars: 100_002,
  tradingState: 'ACTIVE',
};

describe('renderSummary', () => {
  it('prints one labelled line per figure of the run', () => {
    const lines = renderSummary(input);
    expect(lines.map((line) => line.slice(2, 17).trim())).toEqual([
      'history', 'bars processed', 'signals', 'risk decisions', 'orders', 'trades', 'net profit', 'max drawdown', 'trading state', 'HTML report',
      'ops gateway', 'admin API key', '', 'the whole store',
    ]);
    expect(lines.slice(0, 9).map((line) => line.slice(18))).toEqual([
      'GBPUSD,USDJPY 2021-01-27 06:00 → 2021-01-27 12:00 UTC',
      '720 in 36 s: 20 bars/s through the whole pipeline, pace lockstep (4 s publishing 94 segments, 31 s waiting for the pipeline)',
      '48 (forecast 48)',
      '15 allowed, 33 denied (RISK.TRADING_HALTED 28, RISK.INVALID_STOPS 5)',
      'FILLED 14, REJECTED 1, all final',
      '14 closed (3 won, 11 lost, win rate 21 %, profit factor 0.15), 0 positions still open',
      '-507.35 USD (equity 9,382.19 → 8,874.84)',
      '562.17 USD (5.96 %), 2021-01-27 06:14 → 2021-01-27 09:01',
      'ACTIVE',
    ]);
    expect(lines.at(-1)).toBe('  the whole stored history (100,002 bars) would take about 1 h 23 min at this rate: npm start -- --all');
  });

  it('says what is missing instead of a figure, and warns when the pipeline had not drained', () => {
    const lines = renderSummary({
      ...input, performance: undefined, performanceError: 'rpt.qry.performance: no responders', report: { error: 'reporting CLI failed' }, adminKey: { error: 'no CLI' },
      replay: { ...input.replay, drained: false }, flow: { ...input.flow, unfinished: 2 }, tradingState: 'HALTED since 2021-01-27 09:01 by breaker:DAILY_LOSS',
    });
    expect(lines.filter((line) => /not available|not written|none: no CLI|not final yet|had not drained|--resume-trading/.test(line))).toHaveLength(6);
  });

  it('warns when reporting holds fewer trades than the orders that filled', () => {
    const lines = renderSummary({ ...input, performance: { ...input.performance!, summary: { ...input.performance!.summary, trades: 4 } } });
    expect(lines.filter((line) => line.startsWith('  !'))).toEqual([
      '  ! 14 orders filled, but reporting holds 4 closed trades and the simulator 0 open positions: reporting\'s trade history is missing some',
    ]);
  });
});

describe('duration and renderBar', () => {
  it('writes durations for people and draws the bar in proportion', () => {
    expect([duration(4_400), duration(97_000), duration(5_000_000)]).toEqual(['4 s', '1 min 37 s', '1 h 23 min']);
    expect(renderBar(1, 4, 8)).toBe('▕██░░░░░░▏  25%');
  });
});
