import { describe, expect, it } from '@jest/globals';
import type { TradeFact } from './analytics.types.js';
import { assessPerformance } from './assessment.js';
import { DEFAULT_ASSESSMENT_THRESHOLDS } from './assessment.types.js';
import { equityFromTrades } from './equity-curve.js';
import { analysePerformance } from './performance-analysis.js';
import { SESSION_TRADES } from './session-trades.fixture.js';

const subject = { account: 'A1', from: Date.parse('2024-03-04T00:00:00Z'), to: Date.parse('2024-03-07T00:00:00Z') };

function assess(trades: readonly TradeFact[], start = 10_000) {
  return assessPerformance(analysePerformance({ trades, equity: equityFromTrades(trades, start) }), subject);
}

/** `count` trades a day apart with the given nets (cycled), all with a stop. */
function series(nets: number[], count: number, overrides: Partial<TradeFact> = {}): TradeFact[] {
  return Array.from({ length: count }, (_, i) => {
    const entryTime = Date.parse('2024-01-01T10:00:00Z') + i * 86_400_000;
    const net = nets[i % nets.length];
    return {
      ...SESSION_TRADES[0], closeDealTicket: String(2000 + i), positionId: String(900 + i), entryTime, exitTime: entryTime + 3_600_000, durationSeconds: 3600,
      grossProfit: String(net + 2), commission: '-2', swap: '0', netProfit: String(net), rMultiple: net / 100, ...overrides,
    };
  });
}

const codes = (assessment: { findings: readonly { code: string }[] }) => assessment.findings.map((f) => f.code);

describe('assessPerformance', () => {
  it('writes the same text for the same history, whatever the order the trades come in', () => {
    const first = assess(SESSION_TRADES);
    const second = assess([...SESSION_TRADES].reverse());
    expect(second.text).toBe(first.text);
    expect(second.findings).toEqual(first.findings);
  });

  it('assesses the scripted session: small sample, missing stop, strong edge', () => {
    const result = assess(SESSION_TRADES);
    expect(codes(result)).toEqual(['STRONG_EDGE', 'LARGE_PAYOFF', 'NO_STOP_LOSS', 'SMALL_SAMPLE', 'REQUIRE_STOP_LOSS', 'GATHER_MORE_TRADES']);
    const noStop = result.findings.find((f) => f.code === 'NO_STOP_LOSS');
    expect(noStop).toMatchObject({ kind: 'risk', priority: 'high', figures: { tradesWithoutStop: '1', trades: '6' } });
    // PF 351.60 / 137 = 2.566 → "2.57"; expectancy 214.60 / 6 = 35.77.
    expect(result.findings[0].text).toBe('Profit factor 2.57 is at or above 1.50; expectancy 35.77 per trade.');
    expect(result.text.split('\n').slice(0, 5)).toEqual([
      'Assessment of account A1, 2024-03-04 to 2024-03-07',
      '',
      '6 trades, 3 won, 3 lost (win rate 50.0%); net 214.60.',
      'Profit factor 2.57, expectancy 35.77 per trade, average R 0.24.',
      'Max drawdown 135.60 (1.33%), Sharpe 10.33, Sortino 61.54.',
    ]);
    // Drawdown: 10 163.00 after trade 2 down to 10 027.40 after trade 5 = 135.60, 1.334 % of the peak.
    // Daily closes Mon 10 059.50, Tue 10 027.40, Wed 10 214.60 from 10 000: returns 0.00595,
    // -0.0031910, 0.0186688; mean 0.0071426, sample sd 0.0109788 → 0.650580 × √252 = 10.33;
    // downside sqrt(0.0031910² / 3) = 0.0018423 → 3.87693 × √252 = 61.54.
  });

  it('says a losing history has no edge and should stop, with the figures', () => {
    const result = assess(series([-50, 30], 40));
    // 20 × -50 + 20 × 30 = -400; PF 600 / 1000 = 0.60.
    const noEdge = result.findings.find((f) => f.code === 'NO_EDGE');
    expect(noEdge).toMatchObject({ kind: 'weakness', priority: 'high', figures: { profitFactor: '0.60', netProfit: '-400.00', expectancy: '-10.00' } });
    expect(codes(result)).toContain('STOP_AND_REVIEW');
    expect(codes(result)).toContain('SMALL_PAYOFF');
    expect(codes(result)).not.toContain('SMALL_SAMPLE');
  });

  it('flags a deep drawdown at the documented thresholds', () => {
    // Nine losses of 150 from 10 000 = 1 350 (13.5 %: medium), then wins; the streak of 9 is high.
    const trades = series([-150, -150, -150, -150, -150, -150, -150, -150, -150, 400, 400, 400, 400], 39);
    const result = assess(trades);
    expect(result.findings.find((f) => f.code === 'DEEP_DRAWDOWN')).toMatchObject({ priority: 'medium', figures: { maxDrawdownPercent: '13.50%', maxDrawdownMoney: '1,350.00', threshold: '10.00%' } });
    expect(result.findings.find((f) => f.code === 'LOSING_STREAK')).toMatchObject({ priority: 'high', figures: { longestLosingStreak: '9', threshold: String(DEFAULT_ASSESSMENT_THRESHOLDS.losingStreakHigh) } });
    const tighter = assessPerformance(analysePerformance({ trades, equity: equityFromTrades(trades, 10_000) }), subject, { ...DEFAULT_ASSESSMENT_THRESHOLDS, drawdownPercentHigh: 13 });
    expect(tighter.findings.find((f) => f.code === 'DEEP_DRAWDOWN')?.priority).toBe('high');
  });

  it('names the outsized loss and the costs that eat the profit', () => {
    // Losses -20, -20, -20, -200: average -65, largest -200 = 3.08 × average. Price profit 35 × 32 + ... .
    const trades = [...series([35], 32, { grossProfit: '60', commission: '-25' }), ...series([-20, -20, -20, -200], 4)].map((t, i) => ({ ...t, closeDealTicket: String(i), entryTime: t.entryTime + i * 60_000, exitTime: t.exitTime + i * 60_000 }));
    const result = assess(trades);
    expect(result.findings.find((f) => f.code === 'OUTSIZED_LOSS')).toMatchObject({ figures: { largestLoss: '-200.00', averageLoss: '-65.00', multiple: '3.08' } });
    expect(codes(result)).toContain('HIGH_COSTS');
  });

  it('has one finding when nothing closed', () => {
    expect(assess([]).findings).toEqual([{ kind: 'recommendation', code: 'NO_TRADES', priority: 'low', text: 'No closed trades in this period: nothing to assess yet.', figures: { trades: '0' } }]);
  });
});
