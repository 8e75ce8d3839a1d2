import type { PositionRecord } from '../orders/order.types.js';

export interface PositionDiff {
  /** At the terminal, not in the table. */
  readonly opened: readonly PositionRecord[];
  /** In both, with a different volume, side, open price, stops or external flag. */
  readonly changed: readonly PositionRecord[];
  /** In the table as open, gone from the terminal. */
  readonly closed: readonly PositionRecord[];
}

const material = (p: PositionRecord) => [p.side, Number(p.volume), Number(p.openPrice), p.stopLoss === null ? null : Number(p.stopLoss), p.takeProfit === null ? null : Number(p.takeProfit), p.external];

/** Compares the stored open positions with the terminal's; floating profit and current price are not differences. */
export function diffPositions(stored: readonly PositionRecord[], terminal: readonly PositionRecord[]): PositionDiff {
  const storedById = new Map(stored.map((p) => [p.positionId, p]));
  const terminalIds = new Set(terminal.map((p) => p.positionId));
  const opened: PositionRecord[] = [];
  const changed: PositionRecord[] = [];
  for (const position of terminal) {
    const before = storedById.get(position.positionId);
    if (!before) opened.push(position);
    else if (JSON.stringify(material(before)) !== JSON.stringify(material(position))) changed.push(position);
  }
  return { opened, changed, closed: stored.filter((p) => !terminalIds.has(p.positionId)) };
}
