import type { TerminalPort } from '../ports.js';

/**
 * A deals window on the terminal's clock: from `lookbackMs` before the server time at `sinceUtcMs`
 * to `lookbackMs` past the server time now. Settlement filters by magic and exact comment, so a
 * wide window costs little and absorbs clock drift (and a simulator replaying faster than real time).
 */
export function dealsWindow(terminal: TerminalPort, sinceUtcMs: number, lookbackMs: number): { from: number; to: number } {
  const from = Math.max(0, terminal.serverTimeAt(sinceUtcMs) - lookbackMs);
  return { from, to: Math.max(from, terminal.serverNow() + lookbackMs) };
}
