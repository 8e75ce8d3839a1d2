import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatMoney, formatNumber, formatPercent } from './format.js';
import { barChart, escapeXml, lineChart, niceTicks, underwaterChart } from './svg-charts.js';

const t = (day: number) => Date.parse('2024-03-01T00:00:00Z') + day * 86_400_000;

describe('svg charts', () => {
  it('draws a line through every point inside the plot area, with date labels', () => {
    const svg = lineChart([{ x: t(0), y: 100 }, { x: t(1), y: 110 }, { x: t(4), y: 90 }], { id: 'equity-curve', title: 'Equity', width: 400, height: 200 });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" id="equity-curve"')).toBe(true);
    // Plot area x 72..384 (4 days), y 16..172 (90..110): day 1 at 72 + 312 / 4 = 150; 100 at 16 + 156 / 2 = 94.
    expect(svg).toContain('d="M72,94L150,16L384,172"');
    expect(svg).toContain('>2024-03-01<');
    expect(svg).toContain('>2024-03-05<');
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('is byte-identical for identical data', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ x: t(i), y: Math.sin(i) * 100 }));
    expect(lineChart(points, { id: 'a', title: 'A' })).toBe(lineChart(points, { id: 'a', title: 'A' }));
  });

  it('fills the drawdown down from the zero line', () => {
    const svg = underwaterChart([{ x: t(0), y: 0 }, { x: t(1), y: -10 }, { x: t(2), y: 0 }], { id: 'drawdown-chart', title: 'Drawdown', width: 400, height: 200 });
    expect(svg).toMatch(/<path class="series" d="M72,16L72,16L228,172L384,16L384,16Z"/);
  });

  it('draws bars above and below zero in their colours, and says so when there is nothing to draw', () => {
    const svg = barChart([{ label: 'Mon', value: 50 }, { label: 'Tue', value: -25 }], { id: 'weekday', title: 'By weekday' });
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('fill="#2e7d32"><title>Mon: 50</title>');
    expect(svg).toContain('fill="#c62828"><title>Tue: -25</title>');
    expect(lineChart([], { id: 'e', title: 'E' })).toContain('No data');
  });

  it('escapes labels and picks round ticks', () => {
    expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    expect(niceTicks(0, 97)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(-12, 3)).toEqual([-10, -5, 0]);
  });
});

describe('format', () => {
  it('formats numbers the same on every locale', () => {
    expect(formatMoney(1234567.891)).toBe('1,234,567.89');
    expect(formatMoney('-1350')).toBe('-1,350.00');
    expect(formatMoney(-0.004)).toBe('0.00');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(-0.0001)).toBe('0.00');
    expect(formatPercent(13.5)).toBe('13.50%');
    expect(formatDuration(93_784)).toBe('1d 2h 3m');
    expect(formatDuration(45)).toBe('45s');
  });
});
