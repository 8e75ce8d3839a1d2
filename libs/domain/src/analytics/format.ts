/**
 * Number formatting for reports and assessments, independent of the host's locale (no
 * `toLocaleString`): the same figures must give byte-identical text on every machine.
 */

/** `1234.5` → `"1,234.50"`, `-0.004` → `"0.00"`. */
export function formatMoney(value: number | string, decimals = 2): string {
  const number = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(number)) return '–';
  const fixed = Math.abs(number).toFixed(decimals);
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = number < 0 && Number(fixed) !== 0;
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A ratio to fixed decimals, `–` for null. */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const fixed = value.toFixed(decimals);
  return Number(fixed) === 0 ? (0).toFixed(decimals) : fixed;
}

/** A percentage already in percent units (`12.345` → `"12.35%"`). */
export function formatPercent(value: number | null | undefined, decimals = 2): string {
  const text = formatNumber(value, decimals);
  return text === '–' ? text : `${text}%`;
}

/** A fraction in [0, 1] as a percentage (`0.5` → `"50.0%"`). */
export function formatFraction(value: number | null | undefined, decimals = 1): string {
  return value === null || value === undefined ? '–' : formatPercent(value * 100, decimals);
}

/** `93784` → `"1d 2h 3m"`; under a minute → `"45s"`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''].filter(Boolean).join(' ') || '0m';
}

/** `YYYY-MM-DD HH:MM` UTC of an epoch-ms time; `–` for null. */
export function formatTime(time: number | null | undefined): string {
  if (time === null || time === undefined || !Number.isFinite(time)) return '–';
  return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}

/** `YYYY-MM-DD` UTC; `–` for null. */
export function formatDate(time: number | null | undefined): string {
  return time === null || time === undefined || !Number.isFinite(time) ? '–' : new Date(time).toISOString().slice(0, 10);
}
