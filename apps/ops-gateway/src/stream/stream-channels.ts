import { Subjects, Timeframes, type Timeframe } from '@mt5/contracts';

/**
 * Channels of the live stream and the core NATS subjects that feed each. Per-symbol channels
 * subscribe to that symbol's subjects only, so a client watching EURUSD does not make the
 * gateway receive every tick of every symbol.
 */
export const ChannelKinds = ['quotes', 'bars', 'signals', 'orders', 'fills', 'positions', 'account', 'state', 'decisions'] as const;
export type ChannelKind = (typeof ChannelKinds)[number];

export const ChannelDescriptions: Record<ChannelKind, string> = {
  quotes: 'quotes:<symbol>: live bid/ask (md.tick.<venue>.<symbol>)',
  bars: 'bars:<symbol> or bars:<symbol>:<timeframe>: closed bars (md.bar.<venue>.<symbol>.<tf>)',
  signals: 'signals: strategy signals (sig.evt.>)',
  orders: 'orders: order events (exec.evt.<account>.order)',
  fills: 'fills: deals (exec.evt.<account>.deal)',
  positions: 'positions: position snapshots and closes (exec.evt.<account>.position)',
  account: 'account: account snapshots (exec.evt.<account>.account)',
  state: 'state: trading-state changes and breaker trips and resets (risk.evt.state, risk.evt.breaker)',
  decisions: 'decisions: risk decisions and denials (risk.evt.decision, risk.evt.denied)',
};

export type ParsedChannel = { ok: true; name: string; subjects: string[] } | { ok: false; reason: string };

/** A subject from the contracts' renderer with some tokens turned into `*` (tokens never contain dots). */
function wildcard(subject: string, positions: readonly number[]): string {
  const tokens = subject.split('.');
  for (const position of positions) tokens[position] = '*';
  return tokens.join('.');
}
const anyAccount = (event: string) => wildcard(Subjects.executionEvent('any', event), [2]);

/** Validates a channel name and returns the subjects (without namespace) that feed it. */
export function parseChannel(name: unknown): ParsedChannel {
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) return { ok: false, reason: 'a channel is a string of 1..100 characters' };
  const at = name.indexOf(':');
  const kind = at < 0 ? name : name.slice(0, at);
  const argument = at < 0 ? undefined : name.slice(at + 1);
  switch (kind) {
    case 'quotes':
    case 'bars': {
      if (!argument) return { ok: false, reason: `${kind} needs a symbol: ${kind}:<symbol>` };
      let symbol = argument;
      let timeframe: Timeframe | undefined;
      const last = argument.lastIndexOf(':');
      if (kind === 'bars' && last > 0 && (Timeframes as readonly string[]).includes(argument.slice(last + 1))) {
        symbol = argument.slice(0, last);
        timeframe = argument.slice(last + 1) as Timeframe;
      }
      try {
        return kind === 'quotes'
          ? { ok: true, name, subjects: [wildcard(Subjects.tick('any', symbol), [2])] }
          : { ok: true, name, subjects: [wildcard(Subjects.bar('any', symbol, timeframe ?? 'M1'), timeframe ? [2] : [2, 4])] };
      } catch {
        return { ok: false, reason: `${JSON.stringify(symbol)} is not a symbol` };
      }
    }
    case 'signals':
      return argument === undefined ? { ok: true, name, subjects: [Subjects.allSignals()] } : { ok: false, reason: 'signals takes no argument' };
    case 'orders':
    case 'fills':
    case 'positions':
    case 'account': {
      if (argument !== undefined) return { ok: false, reason: `${kind} takes no argument` };
      const event = { orders: 'order', fills: 'deal', positions: 'position', account: 'account' }[kind];
      return { ok: true, name, subjects: [anyAccount(event)] };
    }
    case 'state':
      return argument === undefined ? { ok: true, name, subjects: [Subjects.riskEvent('state'), Subjects.riskEvent('breaker')] } : { ok: false, reason: 'state takes no argument' };
    case 'decisions':
      return argument === undefined ? { ok: true, name, subjects: [Subjects.riskEvent('decision'), Subjects.riskEvent('denied')] } : { ok: false, reason: 'decisions takes no argument' };
    default:
      return { ok: false, reason: `unknown channel ${JSON.stringify(name)}; channels: ${ChannelKinds.join(', ')}` };
  }
}
