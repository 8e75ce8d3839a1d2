import type pg from 'pg';

export interface ImportRunStart {
  readonly file: string;
  readonly format: string;
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: string;
}

export interface ImportRunEnd {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly format?: string;
  readonly fileSha256?: string;
  readonly rowsRead: number;
  readonly rowsInserted: number;
  readonly rowsDuplicate: number;
  readonly rowsRejected: number;
  readonly firstBarTime?: number;
  readonly lastBarTime?: number;
  readonly error?: string;
}

const iso = (epochMs: number | undefined) => (epochMs === undefined ? null : new Date(epochMs).toISOString());

/** `import_runs`: one row per import, written RUNNING at the start and finished at the end. */
export class ImportRunsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async start(run: ImportRunStart): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO import_runs (file, format, venue, symbol, timeframe) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [run.file, run.format, run.venue, run.symbol, run.timeframe],
    );
    return rows[0]!.id;
  }

  async finish(id: string, end: ImportRunEnd): Promise<void> {
    await this.pool.query(
      `UPDATE import_runs SET status = $2, format = coalesce($3, format), file_sha256 = $4, rows_read = $5, rows_inserted = $6,
         rows_duplicate = $7, rows_rejected = $8, first_bar_time = $9, last_bar_time = $10, error = $11, finished_at = now()
       WHERE id = $1`,
      [id, end.status, end.format ?? null, end.fileSha256 ?? null, end.rowsRead, end.rowsInserted, end.rowsDuplicate, end.rowsRejected,
        iso(end.firstBarTime), iso(end.lastBarTime), end.error?.slice(0, 2000) ?? null],
    );
  }
}
