import { describe, expect, it } from '@jest/globals';
import { parseChannel } from './stream-channels.js';

describe('parseChannel', () => {
  it.each([
    ['quotes:EURUSD', ['md.tick.*.EURUSD']],
    ['quotes:EURUSD.m', ['md.tick.*.EURUSD~2Em']],
    ['bars:EURUSD', ['md.bar.*.EURUSD.*']],
    ['bars:EURUSD:H1', ['md.bar.*.EURUSD.H1']],
    ['bars:US30#', ['md.bar.*.US30~23.*']],
    ['signals', ['sig.evt.>']],
    ['orders', ['exec.evt.*.order']],
    ['fills', ['exec.evt.*.deal']],
    ['positions', ['exec.evt.*.position']],
    ['account', ['exec.evt.*.account']],
    ['state', ['risk.evt.state', 'risk.evt.breaker']],
    ['decisions', ['risk.evt.decision', 'risk.evt.denied']],
  ])('feeds %s from %j', (name, subjects) => {
    expect(parseChannel(name)).toEqual({ ok: true, name, subjects });
  });

  it.each([
    ['quotes', 'quotes needs a symbol: quotes:<symbol>'],
    ['bars:', 'bars needs a symbol: bars:<symbol>'],
    ['fills:paper-1', 'fills takes no argument'],
    ['weather', 'unknown channel "weather"; channels: quotes, bars, signals, orders, fills, positions, account, state, decisions'],
    ['', 'a channel is a string of 1..100 characters'],
  ])('refuses %j: %s', (name, reason) => {
    expect(parseChannel(name)).toEqual({ ok: false, reason });
  });
});
