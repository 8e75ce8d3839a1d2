// The invariants a replay must keep whatever failed during it, read from Postgres (the stack's
// schema) and from the simulator's books (`sim.qry.state`, `sim.qry.history`). Each violation is
// one line naming the bar, signal, order, deal, trade or position and what it broke.
import { readFileSync } from 'node:fs';
import { Subjects, type BridgeDeal } from '@mt5/contracts';
import { SYMBOL, WINDOW, type TradingStack } from './fault-stack.fixture.js';

export interface InvariantReport {
  /** What was checked, for the test's log line. */
  readonly counts: Readonly<Record<string, number>>;
  /** Orders left UNKNOWN (allowed: visible, counted, settled later), by client order id. */
  readonly unknownOrders: readonly string[];
  readonly violations: readonly string[];
}

interface SimPosition { positionId: string; symbol: string; side: string; volume: number; openPrice: number }
interface SimOrder { ticket: string; comment: string }

const iso = (time: Date | number) => new Date(time).toISOString().slice(0, 16);
const TERMINAL = new Set(['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED']);
/** Money and prices compare to the stored precision: decimals within half a unit of the 8th place. */
const same = (a: number | string, b: number | string, epsilon = 5e-9) => Math.abs(Number(a) - Number(b)) <= epsilon;

/** The bars of {@link WINDOW} as the shared file has them (open time → OHLC). */
function expectedBars(file: string): Map<number, [number, number, number, number]> {
  const bars = new Map<number, [number, number, number, number]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [time, open, high, low, close] = line.split(',');
    const openTime = Date.parse(`${time?.replace(' ', 'T')}:00Z`);
    if (openTime >= WINDOW.from && openTime < WINDOW.to) bars.set(openTime, [Number(open), Number(high), Number(low), Number(close)]);
  }
  return bars;
}

async function checkBars(stack: TradingStack, sharedFile: string, violations: string[]): Promise<number> {
  const expected = expectedBars(sharedFile);
  const { rows } = await stack.db.query<{ open_time: Date; n: string; open: string; high: string; low: string; close: string }>(
    `SELECT open_time, count(*) AS n, min(open) AS open, min(high) AS high, min(low) AS low, min(close) AS close FROM bars
      WHERE venue = 'MT5' AND symbol = $1 AND timeframe = 'M1' GROUP BY open_time ORDER BY open_time`, [SYMBOL]);
  const stored = new Map(rows.map((row) => [row.open_time.getTime(), row]));
  for (const [time, ohlc] of expected) {
    const row = stored.get(time);
    if (!row) violations.push(`bar ${SYMBOL} M1 ${iso(time)}: not stored (expected once)`);
    else if (Number(row.n) !== 1) violations.push(`bar ${SYMBOL} M1 ${iso(time)}: stored ${row.n} times (expected once)`);
    else if (![row.open, row.high, row.low, row.close].every((value, i) => same(value, ohlc[i]!))) {
      violations.push(`bar ${SYMBOL} M1 ${iso(time)}: stored OHLC ${row.open}/${row.high}/${row.low}/${row.close}, the file has ${ohlc.join('/')}`);
    }
  }
  for (const time of stored.keys()) if (!expected.has(time)) violations.push(`bar ${SYMBOL} M1 ${iso(time)}: stored but not in the imported slice`);
  return expected.size;
}

async function checkSignals(stack: TradingStack, forecast: readonly { strategyId: string; barTime: number }[], violations: string[]) {
  const { rows } = await stack.db.query<{ signal_id: string; strategy_id: string; bar_time: Date; decisions: string; outcome: string | null; client_order_id: string | null }>(
    `SELECT s.signal_id, s.strategy_id, s.bar_time, count(d.decision_id) AS decisions, min(d.outcome) AS outcome, min(d.client_order_id) AS client_order_id
       FROM signals s LEFT JOIN risk_decisions d ON d.signal_id = s.signal_id GROUP BY s.signal_id, s.strategy_id, s.bar_time`);
  const key = (strategyId: string, time: number) => `${strategyId}@${iso(time)}`;
  const stored = new Map<string, number>();
  for (const row of rows) {
    const name = `signal ${row.signal_id} (${row.strategy_id} on ${iso(row.bar_time)})`;
    stored.set(key(row.strategy_id, row.bar_time.getTime()), (stored.get(key(row.strategy_id, row.bar_time.getTime())) ?? 0) + 1);
    if (Number(row.decisions) !== 1) violations.push(`${name}: decided ${row.decisions} times (expected once)`);
  }
  for (const signal of forecast) {
    const n = stored.get(key(signal.strategyId, signal.barTime)) ?? 0;
    if (n !== 1) violations.push(`signal of ${signal.strategyId} on ${iso(signal.barTime)}: stored ${n} times (the strategy code forecasts one)`);
  }
  const forecastKeys = new Set(forecast.map((signal) => key(signal.strategyId, signal.barTime)));
  for (const [name] of stored) if (!forecastKeys.has(name)) violations.push(`signal of ${name.replace('@', ' on ')}: stored, but the strategy code forecasts none there`);
  return rows;
}

async function checkOrders(stack: TradingStack, allowed: ReadonlySet<string>, brokerOrders: readonly SimOrder[], brokerDeals: readonly BridgeDeal[], violations: string[]) {
  const { rows } = await stack.db.query<{ client_order_id: string; status: string; filled_volume: string; decision_id: string | null }>(
    'SELECT client_order_id, status, filled_volume, decision_id FROM orders WHERE account = $1', [stack.account]);
  const unknownOrders: string[] = [];
  const byComment = new Map<string, string[]>();
  for (const order of brokerOrders) byComment.set(order.comment, [...(byComment.get(order.comment) ?? []), order.ticket]);
  const orders = new Set(rows.map((row) => row.client_order_id));
  for (const id of allowed) if (!orders.has(id)) violations.push(`order ${id}: allowed by risk-guard but execution has no order row`);
  for (const row of rows) {
    const name = `order ${row.client_order_id}`;
    if (!allowed.has(row.client_order_id)) violations.push(`${name}: stored without an allowing risk decision`);
    if (row.status === 'UNKNOWN') unknownOrders.push(row.client_order_id);
    else if (!TERMINAL.has(row.status)) violations.push(`${name}: left ${row.status} (neither final nor UNKNOWN)`);
    const tickets = byComment.get(row.client_order_id) ?? [];
    if (tickets.length > 1) violations.push(`${name}: ${tickets.length} broker orders (tickets ${tickets.join(', ')}); at most one per client order id`);
    const opening = brokerDeals.filter((deal) => deal.comment === row.client_order_id && deal.entry === 'IN');
    const brokerVolume = opening.reduce((sum, deal) => sum + deal.volume, 0);
    if (row.status === 'FILLED' && !same(brokerVolume, row.filled_volume, 1e-9)) {
      violations.push(`${name}: FILLED ${row.filled_volume} lots, the broker dealt ${brokerVolume} (deals ${opening.map((deal) => deal.ticket).join(', ') || 'none'})`);
    }
    if (['REJECTED', 'EXPIRED', 'CANCELLED'].includes(row.status) && opening.length > 0) {
      violations.push(`${name}: ${row.status}, but the broker executed it (deals ${opening.map((deal) => deal.ticket).join(', ')})`);
    }
  }
  return { rows, unknownOrders };
}

/** The platform's deals table and reporting's trades against the broker's deal history. */
async function checkDealsAndTrades(stack: TradingStack, brokerDeals: readonly BridgeDeal[], violations: string[]) {
  const trading = brokerDeals.filter((deal) => deal.type === 'BUY' || deal.type === 'SELL');
  const { rows: deals } = await stack.db.query<{ deal_ticket: string; n: string; volume: string; price: string; profit: string }>(
    'SELECT deal_ticket, count(*) AS n, min(volume) AS volume, min(price) AS price, min(profit) AS profit FROM deals WHERE account = $1 GROUP BY deal_ticket', [stack.account]);
  const stored = new Map(deals.map((row) => [row.deal_ticket, row]));
  for (const deal of trading) {
    const row = stored.get(deal.ticket);
    if (!row) violations.push(`deal ${deal.ticket} (${deal.entry} ${deal.type} ${deal.volume} ${deal.symbol}, ${deal.comment}): at the broker, not in the deals table`);
    else if (!same(row.volume, deal.volume) || !same(row.price, deal.price) || !same(row.profit, deal.profit)) {
      violations.push(`deal ${deal.ticket}: stored ${row.volume} @ ${row.price} profit ${row.profit}, the broker has ${deal.volume} @ ${deal.price} profit ${deal.profit}`);
    }
  }
  const brokerTickets = new Set(trading.map((deal) => deal.ticket));
  for (const row of deals) if (!brokerTickets.has(row.deal_ticket)) violations.push(`deal ${row.deal_ticket}: in the deals table, unknown to the broker`);

  const { rows: trades } = await stack.db.query<{ position_id: string; close_deal_ticket: string; volume: string; exit_price: string; gross_profit: string; net_profit: string }>(
    'SELECT position_id, close_deal_ticket, volume, exit_price, gross_profit, net_profit FROM trades WHERE account = $1', [stack.account]);
  const closes = trading.filter((deal) => deal.entry !== 'IN');
  const tradeByClose = new Map(trades.map((trade) => [`${trade.position_id}/${trade.close_deal_ticket}`, trade]));
  for (const close of closes) {
    const trade = tradeByClose.get(`${close.positionId}/${close.ticket}`);
    const name = `trade of position ${close.positionId} closed by deal ${close.ticket} (${close.reason})`;
    if (!trade) violations.push(`${name}: the broker closed it, reporting has no trade`);
    else if (!same(trade.volume, close.volume) || !same(trade.exit_price, close.price) || !same(trade.gross_profit, close.profit)) {
      violations.push(`${name}: reporting has ${trade.volume} lots exit ${trade.exit_price} gross ${trade.gross_profit}, the broker's deal ${close.volume} @ ${close.price} profit ${close.profit}`);
    }
  }
  const closeKeys = new Set(closes.map((deal) => `${deal.positionId}/${deal.ticket}`));
  for (const key of tradeByClose.keys()) if (!closeKeys.has(key)) violations.push(`trade ${key} (position/close deal): in reporting, no such closing deal at the broker`);
  // A closed position's trades add up to its deals, to the cent (docs/reporting.md).
  const money = (deal: BridgeDeal) => deal.profit + deal.commission + deal.swap + deal.fee;
  for (const positionId of new Set(closes.map((deal) => deal.positionId))) {
    const broker = trading.filter((deal) => deal.positionId === positionId).reduce((sum, deal) => sum + money(deal), 0);
    const reported = trades.filter((trade) => trade.position_id === positionId).reduce((sum, trade) => sum + Number(trade.net_profit), 0);
    if (!same(broker, reported, 0.005)) violations.push(`position ${positionId}: reporting's trades net ${reported.toFixed(2)}, the broker's deals ${broker.toFixed(2)}`);
  }
  return { deals: trading.length, trades: trades.length };
}

async function checkPositions(stack: TradingStack, brokerPositions: readonly SimPosition[], violations: string[]): Promise<number> {
  const { rows } = await stack.db.query<{ position_id: string; symbol: string; side: string; volume: string; open_price: string }>(
    `SELECT position_id, symbol, side, volume, open_price FROM positions WHERE account = $1 AND status = 'OPEN'`, [stack.account]);
  const stored = new Map(rows.map((row) => [row.position_id, row]));
  for (const position of brokerPositions) {
    const row = stored.get(position.positionId);
    const name = `position ${position.positionId} (${position.side} ${position.volume} ${position.symbol})`;
    if (!row) violations.push(`${name}: open at the broker, not open in the positions table`);
    else if (row.side !== position.side || !same(row.volume, position.volume) || !same(row.open_price, position.openPrice)) {
      violations.push(`${name}: the positions table has ${row.side} ${row.volume} @ ${row.open_price}, the broker ${position.side} ${position.volume} @ ${position.openPrice}`);
    }
  }
  const open = new Set(brokerPositions.map((position) => position.positionId));
  for (const row of rows) if (!open.has(row.position_id)) violations.push(`position ${row.position_id}: OPEN in the positions table, not open at the broker`);
  return brokerPositions.length;
}

/**
 * Checks every invariant of issue #9 item 4 on a drained stack: every bar stored once (equal to
 * the file), every forecast signal stored once and decided once, every allowed order stored and
 * final or visibly UNKNOWN, at most one broker order per client order id (and none behind a
 * REJECTED/EXPIRED/CANCELLED order), the deals table and reporting's trades equal the broker's
 * deal history, and the open positions equal the broker's.
 */
export async function checkInvariants(stack: TradingStack, options: { sharedFile: string; forecast: readonly { strategyId: string; barTime: number }[] }): Promise<InvariantReport> {
  const violations: string[] = [];
  const state = await stack.platform.ask<{ positions: SimPosition[]; orders: SimOrder[] }>(Subjects.query('mt5-simulator', 'state'));
  const history = await stack.platform.ask<{ deals: BridgeDeal[]; orders: SimOrder[] }>(Subjects.query('mt5-simulator', 'history'));
  const bars = await checkBars(stack, options.sharedFile, violations);
  const signals = await checkSignals(stack, options.forecast, violations);
  const allowed = new Set(signals.filter((row) => row.outcome === 'ALLOW' && row.client_order_id).map((row) => row.client_order_id!));
  const { rows: orders, unknownOrders } = await checkOrders(stack, allowed, [...history.orders, ...state.orders], history.deals, violations);
  const { deals, trades } = await checkDealsAndTrades(stack, history.deals, violations);
  const positions = await checkPositions(stack, state.positions, violations);
  return {
    counts: { bars, signals: signals.length, allowed: allowed.size, orders: orders.length, filled: orders.filter((o) => o.status === 'FILLED').length, deals, trades, openPositions: positions },
    unknownOrders, violations,
  };
}
