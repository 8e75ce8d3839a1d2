import { compileSessions } from '../market/session-calendar.js';
import type { TradingSessions } from '../market/trading-sessions.js';
import { FillingModes, TradeModes, type InstrumentCatalogue, type InstrumentSpec } from './instrument-spec.js';

/**
 * Where the catalogue file sits next to this module, in `src/` (tests) and in `dist/` (the build
 * copies `*.json` under `src/`). The app reads it and passes the parsed JSON to
 * {@link loadCatalogue}. Why not `import … with { type: 'json' }`: tsc and Jest accept it, but the
 * SWC build drops the attribute, and Node then refuses the JSON import at run time.
 */
export const catalogueV1Url: URL = new URL('./catalogue.v1.json', import.meta.url);

export type CatalogueLoad =
  | { readonly ok: true; readonly catalogue: InstrumentCatalogue; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly string[] };

const SPEC_KEYS = new Set<string>([
  'symbol', 'venue', 'description', 'digits', 'point', 'tickSize', 'tickValue', 'contractSize', 'volumeMin', 'volumeMax', 'volumeStep',
  'stopsLevel', 'freezeLevel', 'baseCurrency', 'profitCurrency', 'marginCurrency', 'tradeMode', 'fillingModes', 'sessions',
  'defaultSpreadPoints', 'marginRate', 'leverage',
]);
const CURRENCY = /^[A-Z]{3,6}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

type Record_ = Readonly<Record<string, unknown>>;
const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
/** `value` is a whole number of `step`s, within float noise of decimal inputs. */
const isMultipleOf = (value: number, step: number) => Math.abs(value / step - Math.round(value / step)) < 1e-6;

function checkSpec(raw: Record_, where: string, problems: string[]): void {
  const problem = (field: string, message: string) => problems.push(`${where}.${field}: ${message}`);
  for (const key of Object.keys(raw)) if (!SPEC_KEYS.has(key)) problem(key, 'unknown field');
  const { symbol, venue, description, digits, point, tickSize, tickValue, contractSize, volumeMin, volumeMax, volumeStep } = raw;
  if (typeof symbol !== 'string' || symbol.length === 0 || symbol.length > 64 || symbol.trim() !== symbol) problem('symbol', 'must be 1..64 characters without outer spaces');
  if (typeof venue !== 'string' || !TOKEN.test(venue)) problem('venue', 'must be letters, digits, _ or - (it becomes a subject token)');
  if (typeof description !== 'string') problem('description', 'must be a string');
  if (!isCount(digits) || digits > 10) problem('digits', 'must be an integer 0..10');
  else if (!isPositive(point) || Math.abs(point - 10 ** -digits) > 10 ** -(digits + 6)) problem('point', `must be 10^-digits (${(10 ** -digits).toFixed(digits)})`);
  if (!isPositive(tickSize)) problem('tickSize', 'must be a positive number');
  else if (isPositive(point) && (tickSize < point || !isMultipleOf(tickSize, point))) problem('tickSize', 'must be a whole number of points');
  if (!isPositive(tickValue)) problem('tickValue', 'must be a positive number (USD per tick per lot)');
  if (!isPositive(contractSize)) problem('contractSize', 'must be a positive number');
  for (const [field, value] of [['volumeMin', volumeMin], ['volumeMax', volumeMax], ['volumeStep', volumeStep]] as const) {
    if (!isPositive(value)) problem(field, 'must be a positive number');
  }
  if (isPositive(volumeMin) && isPositive(volumeMax) && volumeMin > volumeMax) problem('volumeMax', 'must not be below volumeMin');
  if (isPositive(volumeMin) && isPositive(volumeStep) && !isMultipleOf(volumeMin, volumeStep)) problem('volumeMin', 'must be a whole number of volume steps');
  for (const field of ['stopsLevel', 'freezeLevel', 'defaultSpreadPoints'] as const) {
    if (!isCount(raw[field])) problem(field, 'must be a non-negative integer (points)');
  }
  for (const field of ['baseCurrency', 'profitCurrency', 'marginCurrency'] as const) {
    if (typeof raw[field] !== 'string' || !CURRENCY.test(raw[field])) problem(field, 'must be an upper-case currency code (3..6 letters)');
  }
  if (!TradeModes.includes(raw.tradeMode as never)) problem('tradeMode', `must be one of ${TradeModes.join(', ')}`);
  const filling = raw.fillingModes;
  if (!Array.isArray(filling) || filling.length === 0 || filling.some((mode) => !FillingModes.includes(mode)) || new Set(filling).size !== filling.length) {
    problem('fillingModes', `must be a non-empty list of distinct ${FillingModes.join(', ')}`);
  }
  if (!isRecord(raw.sessions)) problem('sessions', 'must be an object { timeZone?, windows }');
  else {
    const compiled = compileSessions(raw.sessions as unknown as TradingSessions);
    if (!compiled.ok) for (const message of compiled.problems) problem('sessions', message);
  }
  if (!isPositive(raw.marginRate)) problem('marginRate', 'must be a positive number');
  if (raw.leverage !== undefined && !isPositive(raw.leverage)) problem('leverage', 'must be a positive number when present');
}

/**
 * Validates a parsed catalogue file (`{ version: 1, instruments: [...] }`) and lists every
 * problem with its place (`instruments[2].tickSize: …`), so one edit fixes them all. Pure: the
 * caller reads the file (see {@link catalogueV1Url}).
 */
export function loadCatalogue(json: unknown): CatalogueLoad {
  const problems: string[] = [];
  if (!isRecord(json)) return { ok: false, problems: ['catalogue must be a JSON object'] };
  for (const key of Object.keys(json)) if (!['version', 'instruments', 'notes'].includes(key)) problems.push(`${key}: unknown field`);
  if (json.version !== 1) problems.push(`version: ${JSON.stringify(json.version)} is not a supported catalogue version (1)`);
  if (!Array.isArray(json.instruments)) return { ok: false, problems: [...problems, 'instruments: must be a list'] };
  const seen = new Set<string>();
  json.instruments.forEach((raw: unknown, index: number) => {
    const where = `instruments[${index}]`;
    if (!isRecord(raw)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    checkSpec(raw, where, problems);
    const key = `${String(raw.venue)}/${String(raw.symbol)}`;
    if (seen.has(key)) problems.push(`${where}: ${key} appears twice`);
    seen.add(key);
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, catalogue: { version: 1, instruments: json.instruments as InstrumentSpec[] }, problems: [] };
}

/** The specification of a symbol on a venue, if the catalogue has it. */
export function findInstrument(catalogue: InstrumentCatalogue, venue: string, symbol: string): InstrumentSpec | undefined {
  return catalogue.instruments.find((spec) => spec.venue === venue && spec.symbol === symbol);
}
