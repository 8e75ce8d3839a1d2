import { describe, expect, it } from '@jest/globals';
import { analysePerformance, assessPerformance, equityFromTrades, type TradeFact } from '@mt5/domain/analytics';
import { renderReportHtml, type ReportModel } from './report-html.renderer.js';

const at = (text: string) => Date.parse(`${text}:00.000Z`);
const trades: TradeFact[] = [
  { account: 'A1', positionId: '1', closeDealTicket: '11', strategyId: '<b>evil</b>', symbol: 'EURUSD', side: 'BUY', volume: '1', entryTime: at('2024-03-04T09:00'),
    entryPrice: '1.085', exitTime: at('2024-03-04T10:00'), exitPrice: '1.087', grossProfit: '200', commission: '-7', swap: '0', fee: '0', netProfit: '193',
    pips: 20, rMultiple: 1, durationSeconds: 3600, exitReason: 'TP', external: false },
  { account: 'A1', positionId: '2', closeDealTicket: '12', strategyId: 'ma-cross', symbol: 'EURUSD', side: 'SELL', volume: '1', entryTime: at('2024-04-02T09:00'),
    entryPrice: '1.09', exitTime: at('2024-04-02T11:00'), exitPrice: '1.091', grossProfit: '-100', commission: '-7', swap: '0', fee: '0', netProfit: '-107',
    pips: -10, rMultiple: -1.07, durationSeconds: 7200, exitReason: 'SL', external: false },
];

function model(): ReportModel {
  const equity = equityFromTrades(trades, 10_000, at('2024-03-01T00:00'));
  const analysis = analysePerformance({ trades, equity });
  const assessment = assessPerformance(analysis, { account: 'A1', from: at('2024-03-01T00:00'), to: at('2024-04-03T00:00') });
  return {
    result: { request: { account: 'A1' }, from: at('2024-03-01T00:00'), to: at('2024-04-03T00:00'), trades, equity, equitySource: 'realised-trades', analysis, assessment },
    daily: [], openPositions: [], currency: 'USD', generatedAt: at('2024-04-03T00:00'),
    riskEvents: [{ time: '2024-04-02T12:00:00.000Z', kind: 'TRADING_STATE', what: 'admin', from: 'ACTIVE', to: 'HALTED', reason: '<script>alert(1)</script>' }],
  };
}

describe('renderReportHtml', () => {
  it('renders the same page for the same history', () => {
    expect(renderReportHtml(model())).toBe(renderReportHtml(model()));
  });

  it('escapes every text that came from outside', () => {
    const html = renderReportHtml(model());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;evil&lt;/b&gt;');
  });

  it('lays out monthly returns by year and month', () => {
    // March: 10 000 → 10 193 (+1.93 %); April: 10 193 → 10 086 (-1.05 %); the year compounds to +0.86 %.
    const table = renderReportHtml(model()).match(/<table id="monthly-returns">[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(table).toContain('<th scope="row">2024</th>');
    expect(table).toContain('title="193.00">1.93%</td>');
    expect(table).toContain('title="-107.00">-1.05%</td>');
    expect(table).toContain('title="86.00">0.86%</td>');
  });
});
