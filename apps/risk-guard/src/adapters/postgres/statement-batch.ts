import { inlineParams, type Tx } from './pg-transaction.js';

export interface Statement {
  /** One data-modifying statement (INSERT, UPDATE, DELETE) with `$1…$n` placeholders. */
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * Several data-modifying statements as one: `WITH w0 AS (…), w1 AS (…) SELECT 1`, placeholders
 * renumbered. One round trip instead of one per statement; the statements must not touch the same
 * row (they run on one snapshot, in no promised order), which holds for what a unit writes: its
 * own decision row, distinct breaker rows, event rows and outbox rows.
 */
export function mergeStatements(statements: readonly Statement[]): { text: string; values: unknown[] } {
  if (statements.length === 1) return { text: statements[0]!.sql, values: [...statements[0]!.params] };
  const values: unknown[] = [];
  const parts = statements.map((statement, index) => {
    const offset = values.length;
    values.push(...statement.params);
    return `w${index} AS (${statement.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { text: `WITH ${parts.join(', ')} SELECT 1`, values };
}

/**
 * The writes of one account unit, staged while it decides and sent together just before the
 * commit. A failing statement fails the flush, so the transaction rolls back as before.
 */
export class StatementBatch {
  private readonly statements: Statement[] = [];

  add(sql: string, params: readonly unknown[]): void {
    this.statements.push({ sql, params });
  }

  get size(): number {
    return this.statements.length;
  }

  /** The staged writes as one statement with their values inlined (to travel with COMMIT), and empties the batch; null when none. */
  inline(): string | null {
    if (this.statements.length === 0) return null;
    const { text, values } = mergeStatements(this.statements);
    this.statements.length = 0;
    return inlineParams(text, values);
  }

  async flush(tx: Tx): Promise<void> {
    if (this.statements.length === 0) return;
    const { text, values } = mergeStatements(this.statements);
    this.statements.length = 0;
    await tx.query(text, values);
  }
}
