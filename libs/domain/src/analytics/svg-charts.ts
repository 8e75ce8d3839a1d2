/**
 * Charts as inline SVG strings, built without libraries or network: an HTML report stays one
 * self-contained file. Pure string builders: the same data gives the same bytes (coordinates
 * are rounded to 0.1 px, labels use locale-free formatting).
 */
import { formatDate, formatMoney, formatNumber, formatTime } from './format.js';
import { maxOf, minOf } from './money.js';

export interface ChartFrame {
  readonly width?: number;
  readonly height?: number;
  /** `id` of the `<svg>` element, for tests and anchors. */
  readonly id: string;
  /** Accessible title, also shown as a tooltip. */
  readonly title: string;
}

export interface SeriesPoint {
  /** Epoch ms (x axis is time). */
  readonly x: number;
  readonly y: number;
}

const MARGIN = { top: 16, right: 16, bottom: 28, left: 72 };

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const r = (value: number) => (Math.round(value * 10) / 10).toString();

/** Round tick values between min and max (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

function open(frame: ChartFrame, width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeXml(frame.id)}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(frame.title)}"><title>${escapeXml(frame.title)}</title>`;
}

function empty(frame: ChartFrame, width: number, height: number): string {
  return `${open(frame, width, height)}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="chart-empty">No data</text></svg>`;
}

interface Scales {
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
  readonly yTicks: number[];
  readonly xTicks: number[];
}

function scales(points: readonly SeriesPoint[], width: number, height: number, includeZero: boolean): Scales {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let minY = minOf(includeZero ? [...ys, 0] : ys) as number;
  let maxY = maxOf(includeZero ? [...ys, 0] : ys) as number;
  if (minY === maxY) {
    minY -= 1;
    maxY += 1;
  }
  const minX = minOf(xs) as number;
  const maxX = maxOf(xs) === minX ? minX + 1 : (maxOf(xs) as number);
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((v - minX) / (maxX - minX)) * innerW;
  const y = (v: number) => MARGIN.top + (1 - (v - minY) / (maxY - minY)) * innerH;
  const xTicks = Array.from({ length: 5 }, (_, i) => minX + ((maxX - minX) * i) / 4);
  return { x, y, yTicks: niceTicks(minY, maxY), xTicks };
}

function axes(s: Scales, width: number, height: number, yLabel: (v: number) => string): string {
  const parts: string[] = ['<g class="axes" font-size="11" fill="#555">'];
  for (const tick of s.yTicks) {
    const y = r(s.y(tick));
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(yLabel(tick))}</text>`);
  }
  // Under two days a date alone would repeat; show the time too.
  const short = s.xTicks.length > 1 && s.xTicks[s.xTicks.length - 1] - s.xTicks[0] <= 2 * 86_400_000;
  s.xTicks.forEach((tick, i) => {
    const anchor = i === 0 ? 'start' : i === s.xTicks.length - 1 ? 'end' : 'middle';
    const label = short ? formatTime(tick).slice(5) : formatDate(tick);
    parts.push(`<text x="${r(s.x(tick))}" y="${height - 8}" text-anchor="${anchor}">${label}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

/** A time series as a line (the equity curve). */
export function lineChart(points: readonly SeriesPoint[], frame: ChartFrame, options: { readonly stroke?: string; readonly yLabel?: (v: number) => string } = {}): string {
  const width = frame.width ?? 900;
  const height = frame.height ?? 280;
  if (points.length === 0) return empty(frame, width, height);
  const s = scales(points, width, height, false);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(s.x(p.x))},${r(s.y(p.y))}`).join('');
  return `${open(frame, width, height)}${axes(s, width, height, options.yLabel ?? ((v) => formatMoney(v, 0)))}`
    + `<path class="series" d="${path}" fill="none" stroke="${options.stroke ?? '#1f6feb'}" stroke-width="1.5"/></svg>`;
}

/** A series at or below zero, filled down from the zero line (the drawdown chart). */
export function underwaterChart(points: readonly SeriesPoint[], frame: ChartFrame, options: { readonly yLabel?: (v: number) => string } = {}): string {
  const width = frame.width ?? 900;
  const height = frame.height ?? 180;
  if (points.length === 0) return empty(frame, width, height);
  const s = scales(points, width, height, true);
  const zero = r(s.y(0));
  const line = points.map((p) => `L${r(s.x(p.x))},${r(s.y(Math.min(0, p.y)))}`).join('');
  const path = `M${r(s.x(points[0].x))},${zero}${line}L${r(s.x(points[points.length - 1].x))},${zero}Z`;
  return `${open(frame, width, height)}${axes(s, width, height, options.yLabel ?? ((v) => `${formatNumber(v, 1)}%`))}`
    + `<path class="series" d="${path}" fill="#f4a7a7" stroke="#c62828" stroke-width="1"/></svg>`;
}

export interface ChartBar {
  readonly label: string;
  readonly value: number;
}

/** Vertical bars around a zero line, green above and red below (net profit by hour, weekday…). */
export function barChart(bars: readonly ChartBar[], frame: ChartFrame, options: { readonly valueLabel?: (v: number) => string } = {}): string {
  const width = frame.width ?? 900;
  const height = frame.height ?? 220;
  if (bars.length === 0) return empty(frame, width, height);
  const label = options.valueLabel ?? ((v: number) => formatMoney(v, 0));
  const minY = Math.min(0, minOf(bars.map((b) => b.value)) as number);
  const maxY = Math.max(0, maxOf(bars.map((b) => b.value)) as number);
  const span = maxY - minY || 1;
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const y = (v: number) => MARGIN.top + (1 - (v - minY) / span) * innerH;
  const slot = innerW / bars.length;
  const parts = [open(frame, width, height), '<g class="axes" font-size="11" fill="#555">'];
  for (const tick of niceTicks(minY, maxY)) {
    parts.push(`<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${r(y(tick))}" y2="${r(y(tick))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${r(y(tick))}" text-anchor="end" dominant-baseline="middle">${escapeXml(label(tick))}</text>`);
  }
  bars.forEach((bar, i) => parts.push(`<text x="${r(MARGIN.left + slot * (i + 0.5))}" y="${height - 8}" text-anchor="middle">${escapeXml(bar.label)}</text>`));
  parts.push('</g><g class="bars">');
  bars.forEach((bar, i) => {
    const top = y(Math.max(0, bar.value));
    const bottom = y(Math.min(0, bar.value));
    parts.push(`<rect x="${r(MARGIN.left + slot * i + slot * 0.15)}" y="${r(top)}" width="${r(slot * 0.7)}" height="${r(Math.max(0.5, bottom - top))}" fill="${bar.value >= 0 ? '#2e7d32' : '#c62828'}"><title>${escapeXml(`${bar.label}: ${label(bar.value)}`)}</title></rect>`);
  });
  parts.push('</g></svg>');
  return parts.join('');
}
