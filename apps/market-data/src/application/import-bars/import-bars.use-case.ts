import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Timeframe } from '@mt5/contracts';
import { BarImportSession, type BarFormat, type BarImportSummary, type BarReject, type ImportedBar } from '@mt5/domain/market';
import { Metrics } from '@mt5/infra/health';
import { BarCopyWriter } from '../../adapters/bar-copy-text.js';
import { PendingBarCopy, UNIQUE_VIOLATION, type BarCopySession, type BarWriteMode } from '../../adapters/bar-copy.session.js';
import type { BarPublisher, PublishResult } from '../../adapters/bar.publisher.js';
import type { BarsRepository, SeriesKey } from '../../adapters/bars.repository.js';
import { FileLines } from '../../adapters/file-lines.js';
import type { ImportRunsRepository } from '../../adapters/import-runs.repository.js';
import { wireFromImported } from '../../adapters/wire-bar.js';

export interface ImportFileRequest {
  readonly file: string;
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly format: BarFormat | 'auto';
  readonly timeZone: string;
  /** Publish the bars this import inserted on `md.bar.…`. */
  readonly publish: boolean;
  /** Write every rejected and duplicate line here (`line<TAB>code<TAB>message`). */
  readonly rejectsOut?: string;
  /** Rejects kept in the result's list (all are counted; all go to `rejectsOut`). */
  readonly maxListedRejects?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly accepted: number;
  readonly rejected: number;
}

export interface ImportFileResult extends SeriesKey {
  readonly file: string;
  readonly importRunId: string;
  readonly format: BarFormat | undefined;
  readonly timeZone: string;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly inserted: number;
  /** Accepted bars that were already stored (a re-import). */
  readonly alreadyPresent: number;
  readonly mode: BarWriteMode | undefined;
  readonly firstTime: number | undefined;
  readonly lastTime: number | undefined;
  readonly rejects: readonly BarReject[];
  readonly unlistedRejects: number;
  readonly published: PublishResult | undefined;
  readonly durationMs: number;
  /** Data lines (accepted, rejected, duplicate) per second, end to end. */
  readonly rowsPerSecond: number;
}

interface PassResult {
  readonly summary: BarImportSummary;
  readonly mode: BarWriteMode | undefined;
  readonly inserted: number;
  readonly insertedTimes: readonly number[] | undefined;
  readonly kept: readonly ImportedBar[];
  readonly sha256: string;
}

/**
 * Imports one history file: reads and validates it line by line (the domain importer), streams
 * the accepted bars into Postgres with one COPY, records the run in `import_runs`, and optionally
 * publishes exactly the bars it inserted. Nothing is repaired; re-importing inserts nothing.
 */
export class ImportBarsUseCase {
  constructor(
    private readonly bars: BarsRepository,
    private readonly runs: ImportRunsRepository,
    private readonly publisher: BarPublisher,
  ) {}

  async execute(request: ImportFileRequest): Promise<ImportFileResult> {
    const started = performance.now();
    const key: SeriesKey = { venue: request.venue, symbol: request.symbol, timeframe: request.timeframe };
    const totalBytes = (await stat(request.file)).size;
    // Recorded as RUNNING while the file is read (awaited before the run is finished).
    const started$ = this.runs.start({ ...key, file: path.resolve(request.file), format: request.format });
    started$.catch(() => undefined);
    let pass: PassResult;
    try {
      try {
        pass = await this.pass(request, key, totalBytes, undefined);
      } catch (error) {
        // An append met a bar stored meanwhile (a live writer): read the file again, merging.
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        pass = await this.pass(request, key, totalBytes, 'merge');
      }
    } catch (error) {
      await this.runs.finish(await started$, { status: 'FAILED', rowsRead: 0, rowsInserted: 0, rowsDuplicate: 0, rowsRejected: 0, error: (error as Error).message });
      throw error;
    }
    const runId = await started$;
    const { summary, inserted } = pass;
    Metrics.barsImported.inc(inserted);
    let published: PublishResult | undefined;
    if (request.publish) {
      const times = pass.insertedTimes ? new Set(pass.insertedTimes) : undefined;
      const fresh = times ? pass.kept.filter((bar) => times.has(bar.openTime)) : pass.kept;
      published = await this.publisher.publish(fresh.map(wireFromImported));
    }
    await this.runs.finish(runId, {
      status: 'SUCCEEDED', format: summary.format, fileSha256: pass.sha256,
      rowsRead: summary.accepted + summary.rejected + summary.duplicates, rowsInserted: inserted,
      rowsDuplicate: summary.duplicates + summary.accepted - inserted, rowsRejected: summary.rejected,
      firstBarTime: summary.firstTime, lastBarTime: summary.lastTime,
    });
    const durationMs = performance.now() - started;
    const lines = summary.accepted + summary.rejected + summary.duplicates;
    return {
      ...key, file: request.file, importRunId: runId, format: summary.format, timeZone: summary.timeZone,
      accepted: summary.accepted, rejected: summary.rejected, duplicates: summary.duplicates,
      inserted, alreadyPresent: summary.accepted - inserted, mode: pass.mode,
      firstTime: summary.firstTime, lastTime: summary.lastTime, rejects: summary.rejects, unlistedRejects: summary.unlistedRejects,
      published, durationMs, rowsPerSecond: durationMs > 0 ? (lines / durationMs) * 1000 : 0,
    };
  }

  /** One read of the file into one COPY. `forcedMode` skips the append check (the retry). */
  private async pass(request: ImportFileRequest, key: SeriesKey, totalBytes: number, forcedMode: BarWriteMode | undefined): Promise<PassResult> {
    const session = new BarImportSession({
      venue: key.venue, symbol: key.symbol, timeframe: key.timeframe, format: request.format, timeZone: request.timeZone,
      maxListedRejects: request.maxListedRejects ?? 1_000,
    });
    const reader = new FileLines(request.file);
    const writer = new BarCopyWriter(key.venue, key.symbol, key.timeframe);
    const kept: ImportedBar[] = [];
    const rejectsOut = request.rejectsOut ? await openRejectsFile(request.rejectsOut) : undefined;
    const pending = PendingBarCopy.begin(this.bars.pool, forcedMode ? undefined : key);
    let copy: BarCopySession | undefined;
    let accepted = 0;
    let rejected = 0;
    try {
      for await (const chunk of reader.chunks()) {
        for (const line of chunk) {
          const outcome = session.push(line);
          if (outcome === undefined) continue;
          if (outcome.kind !== 'accepted') {
            rejected++;
            rejectsOut?.write(`${outcome.line}\t${outcome.code}\t${outcome.message}\n`);
            continue;
          }
          accepted++;
          if (!copy) {
            // The first accepted bar is the earliest: later ones must be newer (the importer
            // rejects anything out of order), so "nothing stored at or after it" means no conflict.
            await pending.ready;
            const latest = pending.latestOpenTime;
            copy = await pending.start(forcedMode ?? (latest === undefined || latest < outcome.bar.openTime ? 'append' : 'merge'));
          }
          writer.imported(outcome.bar);
          if (request.publish) kept.push(outcome.bar);
        }
        if (copy) await copy.write(writer.takeReady());
        request.onProgress?.({ bytesRead: reader.bytesRead, totalBytes, accepted, rejected });
      }
      if (copy) await copy.write(writer.takeAll());
      request.onProgress?.({ bytesRead: reader.bytesRead, totalBytes, accepted, rejected });
    } catch (error) {
      await copy?.rollback();
      throw error;
    } finally {
      if (!copy) await pending.abandon();
      await closeRejectsFile(rejectsOut);
    }
    const written = copy ? await copy.commit(request.publish) : undefined;
    return {
      summary: session.summary(), mode: written?.mode, inserted: written?.inserted ?? 0,
      insertedTimes: written?.insertedTimes, kept, sha256: reader.sha256(),
    };
  }
}

async function openRejectsFile(file: string): Promise<WriteStream> {
  const stream = createWriteStream(file, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
  stream.write('line\tcode\tmessage\n');
  return stream;
}

function closeRejectsFile(stream: WriteStream | undefined): Promise<void> {
  return stream ? new Promise((resolve) => stream.end(resolve)) : Promise.resolve();
}
