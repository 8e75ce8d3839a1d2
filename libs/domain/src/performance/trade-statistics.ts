/**
 * Summary of closed trades from their net results (money, after commission). A trade with a net
 * of exactly 0 counts as a trade but neither a win nor a loss. Ratios that have no value (no
 * trades, no losing trade) are null rather than NaN or Infinity, so they survive JSON.
 */
export interface TradeStatistics {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly netProfit: number;
  /** Sum of winning nets. */
  readonly grossProfit: number;
  /** Sum of losing nets (≤ 0). */
  readonly grossLoss: number;
  /** wins / trades, in [0, 1]. */
  readonly winRate: number | null;
  /** grossProfit / |grossLoss|. */
  readonly profitFactor: number | null;
  /** Average net per trade (money). */
  readonly expectancy: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly largestWin: number | null;
  readonly largestLoss: number | null;
}

export function tradeStatistics(nets: readonly number[]): TradeStatistics {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let largestWin: number | null = null;
  let largestLoss: number | null = null;
  for (const net of nets) {
    if (!Number.isFinite(net)) throw new RangeError(`tradeStatistics: a trade net is ${net}`);
    if (net > 0) {
      wins++;
      grossProfit += net;
      if (largestWin === null || net > largestWin) largestWin = net;
    } else if (net < 0) {
      losses++;
      grossLoss += net;
      if (largestLoss === null || net < largestLoss) largestLoss = net;
    }
  }
  const trades = nets.length;
  const netProfit = nets.reduce((sum, net) => sum + net, 0);
  return {
    trades,
    wins,
    losses,
    netProfit,
    grossProfit,
    grossLoss,
    winRate: trades > 0 ? wins / trades : null,
    profitFactor: grossLoss < 0 ? grossProfit / -grossLoss : null,
    expectancy: trades > 0 ? netProfit / trades : null,
    averageWin: wins > 0 ? grossProfit / wins : null,
    averageLoss: losses > 0 ? grossLoss / losses : null,
    largestWin,
    largestLoss,
  };
}
