import type { DecisionOutcome, DecisionSource, ErrorContext, OrderType, Side, TradingState } from '@mt5/contracts';
import type { RiskCheckName, RiskDenialCode } from '@mt5/domain/risk';
import type { DecisionRecord } from '../../application/decide-order/decision-record.js';
import { inlineParams, type Tx } from './pg-transaction.js';
import type { StatementBatch } from './statement-batch.js';

/** What `risk_decisions.context` holds besides the columns (the column set predates some of it). */
interface StoredContext {
  readonly context: ErrorContext;
  readonly message: string;
  readonly checks: readonly RiskCheckName[];
  readonly asked: { readonly orderType: OrderType; readonly volume: number | null; readonly price: number | null; readonly closesPositionId: string | null };
  readonly magic: number | null;
  readonly digits: number | null;
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface DecisionRow {
  decision_id: string;
  signal_id: string | null;
  intent_id: string | null;
  account: string;
  strategy_id: string | null;
  symbol: string;
  side: Side;
  outcome: DecisionOutcome;
  code: RiskDenialCode | null;
  context: StoredContext;
  client_order_id: string | null;
  volume: string | null;
  price: string | null;
  stop_loss: string | null;
  take_profit: string | null;
  trading_state: TradingState;
  correlation_id: string | null;
  decided_at: Date;
}

const COLUMNS = `decision_id, signal_id, intent_id, account, strategy_id, symbol, side, outcome, code, context, client_order_id,
  volume::text, price::text, stop_loss::text, take_profit::text, trading_state, correlation_id, decided_at`;

const byOrigin = (source: DecisionSource) => `SELECT ${COLUMNS} FROM risk_decisions WHERE ${source === 'SIGNAL' ? 'signal_id' : 'intent_id'} = $1`;

const num = (text: string | null) => (text === null ? null : Number(text));

export function toRecord(row: DecisionRow): DecisionRecord {
  const stored = row.context;
  const source: DecisionSource = row.signal_id !== null ? 'SIGNAL' : 'MANUAL';
  return {
    decisionId: row.decision_id, source, intentId: row.signal_id ?? row.intent_id ?? '', strategyId: row.strategy_id,
    asked: {
      account: row.account, symbol: row.symbol, side: row.side, orderType: stored.asked.orderType, volume: stored.asked.volume,
      price: stored.asked.price, stopLoss: num(row.stop_loss), takeProfit: num(row.take_profit), closesPositionId: stored.asked.closesPositionId,
    },
    outcome: row.outcome, code: row.code, context: stored.context, message: stored.message, checks: stored.checks,
    clientOrderId: row.client_order_id, volume: num(row.volume), price: num(row.price), magic: stored.magic, digits: stored.digits,
    tradingState: row.trading_state, decidedAt: row.decided_at.getTime(), correlationId: row.correlation_id ?? row.decision_id, inputs: stored.inputs,
  };
}

export interface DecisionPage {
  readonly items: readonly DecisionRecord[];
  /** Pass back as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** `risk_decisions`: one row per signal or manual intent (unique signal_id / intent_id / client_order_id). */
export class DecisionsRepository {
  /** Staged with the unit's other writes (a second decision for the same signal or intent fails them all: unique keys). */
  insert(batch: StatementBatch, record: DecisionRecord): void {
    const context: StoredContext = {
      context: record.context, message: record.message, checks: record.checks,
      asked: { orderType: record.asked.orderType, volume: record.asked.volume, price: record.asked.price, closesPositionId: record.asked.closesPositionId },
      magic: record.magic, digits: record.digits, inputs: record.inputs,
    };
    batch.add(
      `INSERT INTO risk_decisions (decision_id, signal_id, intent_id, account, strategy_id, symbol, side, outcome, code, context,
         client_order_id, volume, price, stop_loss, take_profit, trading_state, correlation_id, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        record.decisionId, record.source === 'SIGNAL' ? record.intentId : null, record.source === 'MANUAL' ? record.intentId : null,
        record.asked.account, record.strategyId, record.asked.symbol, record.asked.side, record.outcome, record.code, JSON.stringify(context),
        record.clientOrderId, record.volume, record.price, record.asked.stopLoss, record.asked.takeProfit, record.tradingState,
        record.correlationId, new Date(record.decidedAt),
      ],
    );
  }

  async findByOrigin(tx: Tx, source: DecisionSource, intentId: string): Promise<DecisionRecord | null> {
    const row = (await tx.query<DecisionRow>(byOrigin(source), [intentId])).rows[0];
    return row ? toRecord(row) : null;
  }

  /** {@link findByOrigin} as one statement with the id inlined (to travel with BEGIN); its rows go through {@link toRecord}. */
  findByOriginStatement(source: DecisionSource, intentId: string): string {
    return inlineParams(byOrigin(source), [intentId]);
  }

  async findByClientOrderId(tx: Tx, clientOrderId: string): Promise<DecisionRecord | null> {
    const row = (await tx.query<DecisionRow>(`SELECT ${COLUMNS} FROM risk_decisions WHERE client_order_id = $1`, [clientOrderId])).rows[0];
    return row ? toRecord(row) : null;
  }

  /** The strategy behind an order risk allowed, for attributing its position. */
  async strategyOf(tx: Tx, clientOrderId: string): Promise<string | null> {
    const row = (await tx.query<{ strategy_id: string | null }>('SELECT strategy_id FROM risk_decisions WHERE client_order_id = $1', [clientOrderId])).rows[0];
    return row?.strategy_id ?? null;
  }

  /** Newest first, keyset-paginated on (decided_at, decision_id). */
  async list(tx: Tx, filter: { account?: string; outcome?: DecisionOutcome; limit: number; before?: string }): Promise<DecisionPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.account) where.push(`account = $${params.push(filter.account)}`);
    if (filter.outcome) where.push(`outcome = $${params.push(filter.outcome)}`);
    if (filter.before) {
      const [time, id] = decodeCursor(filter.before);
      where.push(`(decided_at, decision_id) < ($${params.push(new Date(time))}, $${params.push(id)})`);
    }
    const sql = `SELECT ${COLUMNS} FROM risk_decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY decided_at DESC, decision_id DESC LIMIT $${params.push(filter.limit + 1)}`;
    const rows = (await tx.query<DecisionRow>(sql, params)).rows;
    const items = rows.slice(0, filter.limit).map(toRecord);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last.decidedAt, last.decisionId) : null };
  }
}

function encodeCursor(time: number, decisionId: string): string {
  return Buffer.from(`${time}:${decisionId}`, 'utf8').toString('base64url');
}

/** Throws a non-retryable OPS.INVALID_REQUEST for a cursor this service did not hand out. */
function decodeCursor(cursor: string): [number, string] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d+):(.+)$/.exec(text);
  if (!match) throw Object.assign(new Error(`not a decisions cursor: ${cursor}`), { code: 'OPS.INVALID_REQUEST', retryable: false });
  return [Number(match[1]), match[2] as string];
}
