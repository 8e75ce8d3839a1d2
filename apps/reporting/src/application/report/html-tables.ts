import {
  escapeXml, formatFraction, formatMoney, formatNumber, formatPercent, monthlyReturnTable,
  type BreakdownRow, type MonthlyReturn,
} from '@mt5/domain/analytics';

/** A cell: text (escaped here) and an optional class (`num`, `pos`, `neg`). */
export interface Cell {
  readonly text: string;
  readonly className?: string;
}

export const text = (value: string): Cell => ({ text: value });
export const num = (value: string): Cell => ({ text: value, className: 'num' });
/** Money with its sign coloured. */
export const money = (value: number | string | null | undefined): Cell => {
  if (value === null || value === undefined) return { text: '–', className: 'num' };
  const n = Number(value);
  return { text: formatMoney(n), className: `num ${n > 0 ? 'pos' : n < 0 ? 'neg' : ''}`.trim() };
};

/** Money without sign colouring (balances, equity, drawdowns). */
export const amount = (value: number | string | null | undefined): Cell =>
  ({ text: value === null || value === undefined ? '–' : formatMoney(Number(value)), className: 'num' });

/** A table with a header row; every cell is escaped. */
export function table(id: string, headers: readonly string[], rows: readonly (readonly Cell[])[], caption?: string): string {
  const head = `<thead><tr>${headers.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows.length
    ? rows.map((row) => `<tr>${row.map((cell) => `<td${cell.className ? ` class="${cell.className}"` : ''}>${escapeXml(cell.text)}</td>`).join('')}</tr>`).join('')
    : `<tr><td colspan="${headers.length}" class="empty">None</td></tr>`;
  return `<table id="${escapeXml(id)}">${caption ? `<caption>${escapeXml(caption)}</caption>` : ''}${head}<tbody>${body}</tbody></table>`;
}

/** A breakdown as a table: one row per key with its trade statistics. */
export function breakdownTable(id: string, title: string, rows: readonly BreakdownRow[]): string {
  return table(id, [title, 'Trades', 'Won', 'Lost', 'Win rate', 'Net profit', 'Profit factor', 'Expectancy', 'Average R'], rows.map((row) => [
    text(row.label), num(String(row.trades)), num(String(row.wins)), num(String(row.losses)), num(formatFraction(row.winRate)),
    money(row.netProfit), num(formatNumber(row.profitFactor)), money(row.expectancy), num(formatNumber(row.averageR)),
  ]));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Years down, months across, each cell the month's return in percent (change in money as a tooltip). */
export function monthlyReturnsTable(months: readonly MonthlyReturn[]): string {
  const years = monthlyReturnTable(months);
  const cell = (percent: number | null, change: number): string => {
    const cls = `num ${change > 0 ? 'pos' : change < 0 ? 'neg' : ''}`.trim();
    return `<td class="${cls}" title="${escapeXml(formatMoney(change))}">${escapeXml(formatPercent(percent))}</td>`;
  };
  const body = years.map((year) => `<tr><th scope="row">${year.year}</th>${year.months
    .map((month) => (month ? cell(month.percent, month.change) : '<td class="empty"></td>')).join('')}${cell(year.yearPercent, year.yearChange)}</tr>`).join('');
  return `<table id="monthly-returns"><thead><tr><th>Year</th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr></thead>`
    + `<tbody>${body || '<tr><td colspan="14" class="empty">None</td></tr>'}</tbody></table>`;
}
