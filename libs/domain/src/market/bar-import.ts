import type { ImportedBar } from './bar.js';
import type { BarImportOptions, BarImportSummary, LineOutcome } from './bar-import.types.js';
import { BarImportSession } from './bar-import.session.js';

/**
 * Imports lines from any iterable (an array, a generator over a file read by the app), yielding
 * each line's outcome as it is read and returning the summary.
 */
export function* importBarLines(lines: Iterable<string>, options: BarImportOptions): Generator<LineOutcome, BarImportSummary, undefined> {
  const session = new BarImportSession(options);
  for (const line of lines) {
    const outcome = session.push(line);
    if (outcome) yield outcome;
  }
  return session.summary();
}

/** {@link importBarLines} over an async source, e.g. `readline.createInterface({ input, crlfDelay: Infinity })`. */
export async function* importBarLinesAsync(
  lines: AsyncIterable<string> | Iterable<string>, options: BarImportOptions,
): AsyncGenerator<LineOutcome, BarImportSummary, undefined> {
  const session = new BarImportSession(options);
  for await (const line of lines) {
    const outcome = session.push(line);
    if (outcome) yield outcome;
  }
  return session.summary();
}

/** Result of importing a whole text at once. */
export interface BarTextImport {
  readonly bars: ImportedBar[];
  readonly summary: BarImportSummary;
}

/**
 * Imports a whole file's text (tests, small uploads). LF and CRLF both work; a final line end is
 * not a blank line.
 */
export function importBarText(text: string, options: BarImportOptions): BarTextImport {
  const session = new BarImportSession(options);
  const bars: ImportedBar[] = [];
  const lines = text.split('\n');
  const count = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  for (let i = 0; i < count; i++) {
    const outcome = session.push(lines[i]!);
    if (outcome?.kind === 'accepted') bars.push(outcome.bar);
  }
  return { bars, summary: session.summary() };
}
