import type { Timeframe } from '@mt5/contracts';
import type { ImportedBar } from './bar.js';
import {
  BarRejectCodes, type BarFormat, type BarImportOptions, type BarImportSummary, type BarReject, type LineOutcome,
} from './bar-import.types.js';
import { detectBarFormat, layoutForFormat, type FormatDetection } from './bar-format-detection.js';
import type { ColumnLayout } from './bar-layout.js';
import { isBarReject, parseBarLine, type BarLineContext } from './bar-line-parser.js';
import { formatUtc } from './civil-time.js';
import { parseTimeZone, TimeZoneRuleNames } from './time-zone.js';
import { isAligned, type BarAlignment } from './timeframe.js';

/** A configuration mistake (unknown time zone, bad option): the import cannot start. */
export class BarImportOptionError extends Error {
  readonly code = 'MD.INVALID_IMPORT_OPTION';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'BarImportOptionError';
  }
}

/** Numeric fingerprint of a bar's values, to tell an identical duplicate from a conflicting one. */
function fingerprint(bar: ImportedBar): number {
  // Irrational weights: two different decimal bars cannot sum to the same double by accident.
  return bar.open + bar.high * 1.4142135623730951 + bar.low * 1.7320508075688772 + bar.close * 2.23606797749979
    + bar.tickVolume * 2.6457513110645907 + (bar.spreadPoints ?? -1) * 3.3166247903554 + (bar.realVolume ?? -1) * 3.605551275463989;
}

function sameValues(a: ImportedBar, b: ImportedBar): boolean {
  return a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.tickVolume === b.tickVolume
    && a.spreadPoints === b.spreadPoints && a.realVolume === b.realVolume;
}

function binarySearch(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = sorted[middle]!;
    if (found === value) return middle;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Streaming import of one bar file: push lines in order (any line end; a BOM on the first line is
 * allowed), get one outcome per data line, and a summary at the end. Nothing is repaired: every
 * line that is not a valid, aligned, new bar is reported with its line number and a code.
 *
 * Memory: one number pair per accepted bar (open time and fingerprint) to recognise duplicates of
 * any earlier bar, not only of the last one (two overlapping exports pasted together).
 */
export class BarImportSession {
  private readonly context: BarLineContext;
  private readonly timeframe: Timeframe;
  private readonly requestedFormat: BarFormat | 'auto';
  private readonly alignment: BarAlignment | undefined;
  private readonly detectionLines: number;
  private readonly maxListedRejects: number;
  private layout: ColumnLayout | undefined;
  private lineNumber = 0;
  private detectionFailures = 0;
  private lastBar: ImportedBar | undefined;
  private readonly acceptedTimes: number[] = [];
  private readonly fingerprints: number[] = [];
  private readonly rejects: BarReject[] = [];
  private unlistedRejects = 0;
  private headerLine: number | undefined;
  private blankLines = 0;
  private rejected = 0;
  private identicalDuplicates = 0;
  private conflictingDuplicates = 0;

  constructor(options: BarImportOptions) {
    const zone = parseTimeZone(options.timeZone ?? 'UTC');
    if (!zone) {
      throw new BarImportOptionError(`unknown time zone "${options.timeZone}": use UTC, an offset like +02:00, or one of ${TimeZoneRuleNames.join(', ')}`);
    }
    this.timeframe = options.timeframe ?? 'M1';
    this.context = { venue: options.venue, symbol: options.symbol, timeframe: this.timeframe, zone };
    this.requestedFormat = options.format ?? 'auto';
    this.alignment = options.alignment;
    this.detectionLines = options.detectionLines ?? 20;
    this.maxListedRejects = options.maxListedRejects ?? 1000;
  }

  /** Format in use: the requested one, or the detected one once a line has shown it. */
  get format(): BarFormat | undefined {
    return this.layout?.format ?? (this.requestedFormat === 'auto' ? undefined : this.requestedFormat);
  }

  /** Reads the next line. Returns nothing for blank lines and the header. */
  push(rawLine: string): LineOutcome | undefined {
    const line = ++this.lineNumber;
    let text = rawLine.charCodeAt(rawLine.length - 1) === 13 ? rawLine.slice(0, -1) : rawLine;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0)) {
      this.blankLines++;
      return undefined;
    }
    if (!this.layout) {
      const detection = this.detect(text);
      if (detection.kind === 'unknown') return this.reject({ line, code: BarRejectCodes.MALFORMED_LINE, message: detection.reason });
      this.layout = detection.layout;
      if (detection.kind === 'header') {
        this.headerLine = line;
        return undefined;
      }
    }
    const parsed = parseBarLine(text, line, this.layout, this.context);
    if (isBarReject(parsed)) return this.reject(parsed);
    return this.order(parsed, line);
  }

  private detect(text: string): FormatDetection {
    if (this.detectionFailures >= this.detectionLines) {
      return { kind: 'unknown', reason: `format not recognised in the first ${this.detectionLines} lines; give the format explicitly` };
    }
    const detection = this.requestedFormat === 'auto' ? detectBarFormat(text) : layoutForFormat(this.requestedFormat, text);
    if (detection.kind === 'unknown') this.detectionFailures++;
    return detection;
  }

  private order(bar: ImportedBar, line: number): LineOutcome {
    const time = bar.openTime;
    if (!isAligned(this.timeframe, time, this.alignment)) {
      return this.reject({ line, code: BarRejectCodes.MISALIGNED, message: `open time ${formatUtc(time)} is not the start of a ${this.timeframe} bar` });
    }
    const last = this.lastBar;
    if (last && time <= last.openTime) {
      const index = time === last.openTime ? this.acceptedTimes.length - 1 : binarySearch(this.acceptedTimes, time);
      if (index < 0) {
        return this.reject({ line, code: BarRejectCodes.OUT_OF_ORDER, message: `open time ${formatUtc(time)} is before the previous bar ${formatUtc(last.openTime)}` });
      }
      const identical = time === last.openTime ? sameValues(bar, last) : this.fingerprints[index] === fingerprint(bar);
      return this.duplicate(line, time, identical);
    }
    this.acceptedTimes.push(time);
    this.fingerprints.push(fingerprint(bar));
    this.lastBar = bar;
    return { kind: 'accepted', line, bar };
  }

  private duplicate(line: number, time: number, identical: boolean): LineOutcome {
    if (identical) this.identicalDuplicates++;
    else this.conflictingDuplicates++;
    const entry: BarReject = identical
      ? { line, code: BarRejectCodes.DUPLICATE, message: `open time ${formatUtc(time)} repeats an accepted bar with the same values` }
      : { line, code: BarRejectCodes.DUPLICATE_CONFLICT, message: `open time ${formatUtc(time)} repeats an accepted bar with different values; the first is kept` };
    this.list(entry);
    return { kind: 'duplicate', identical, ...entry };
  }

  private reject(entry: BarReject): LineOutcome {
    this.rejected++;
    this.list(entry);
    return { kind: 'rejected', ...entry };
  }

  private list(entry: BarReject): void {
    if (this.rejects.length < this.maxListedRejects) this.rejects.push(entry);
    else this.unlistedRejects++;
  }

  /** Counts so far; call after the last line for the import's report. */
  summary(): BarImportSummary {
    return {
      format: this.format,
      timeZone: this.context.zone.id,
      accepted: this.acceptedTimes.length,
      rejected: this.rejected,
      duplicates: this.identicalDuplicates + this.conflictingDuplicates,
      identicalDuplicates: this.identicalDuplicates,
      conflictingDuplicates: this.conflictingDuplicates,
      headerLine: this.headerLine,
      blankLines: this.blankLines,
      firstTime: this.acceptedTimes[0],
      lastTime: this.lastBar?.openTime,
      rejects: [...this.rejects],
      unlistedRejects: this.unlistedRejects,
    };
  }
}
