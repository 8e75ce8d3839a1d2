/**
 * Value conversion for raw SQL: Postgres `COPY … FROM STDIN` text format and query parameters.
 * One place decides how a Date, a Decimal or a JSON object reaches the database, so COPY and
 * multi-row INSERT store the same thing.
 */

const COPY_NULL = '\\N';

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function finiteNumber(value: number): string {
  // A NaN or infinite price is a broken invariant upstream, not something to store.
  if (!Number.isFinite(value)) throw new Error(`refusing to write non-finite number ${value}`);
  return String(value);
}

function isoDate(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new Error('refusing to write an invalid Date');
  return value.toISOString();
}

const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;

/** Escapes a value for COPY text format: backslash, tab, newline and carriage return. */
function escapeCopyText(text: string): string {
  // Most fields (prices, symbols, times) need no escaping: test before replacing (COPY is hot).
  if (!NEEDS_COPY_ESCAPE.test(text)) return text;
  return text.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/** Renders a JS array as a Postgres array literal (`{"a","b",NULL}`), for `text[]` and friends. */
export function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((item) => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayLiteral(item);
    return `"${scalarText(item).replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
  });
  return `{${items.join(',')}}`;
}

/** The text Postgres parses for one non-null value. */
function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return finiteNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    case 'object': {
      const object = value as object;
      if (object instanceof Date) return isoDate(object);
      if (Array.isArray(object)) return arrayLiteral(object);
      if (Buffer.isBuffer(object)) return `\\x${object.toString('hex')}`;
      // Plain objects are JSON columns; anything else (Decimal, Prisma.Decimal) renders itself.
      return isPlainObject(object) ? JSON.stringify(object) : String(object);
    }
    default:
      throw new Error(`cannot write a ${typeof value} to Postgres`);
  }
}

/** One COPY text-format field. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return COPY_NULL;
  // Numbers and bigints never contain characters COPY escapes.
  if (typeof value === 'number') return finiteNumber(value);
  if (typeof value === 'bigint') return value.toString();
  return escapeCopyText(scalarText(value));
}

/** One COPY text-format line (with its newline). */
export function copyLine(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i]);
  return `${line}\n`;
}

/**
 * A query parameter for `pg`. Dates go as ISO strings (no local-time rendering), decimals as
 * their exact string, plain objects as JSON; arrays stay arrays (pg renders `text[]` itself).
 */
export function sqlParameter(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return typeof value === 'number' ? Number(finiteNumber(value)) : value;
  if (value instanceof Date) return isoDate(value);
  if (Array.isArray(value) || Buffer.isBuffer(value)) return value;
  return isPlainObject(value) ? JSON.stringify(value) : String(value);
}
