import { describe, expect, it } from '@jest/globals';
import { parseCliArgs } from './cli-args.js';

describe('strategies CLI arguments', () => {
  it('reads set-params pairs as numbers, booleans and strings', () => {
    expect(parseCliArgs(['strategies', 'set-params', 'ma-crossover-m1', 'fast=5', 'maType=EMA', 'zeroLineFilter=true', 'stopLossAtr=1.5'])).toEqual({
      ok: true, value: { command: 'set-params', id: 'ma-crossover-m1', params: { fast: 5, maType: 'EMA', zeroLineFilter: true, stopLossAtr: 1.5 }, json: false },
    });
  });

  it('takes parameters as one JSON object with --params, and --json for JSON output', () => {
    expect(parseCliArgs(['strategies', 'set-params', 'x', '--params', '{"fast":7}', '--json'])).toEqual({ ok: true, value: { command: 'set-params', id: 'x', params: { fast: 7 }, json: true } });
  });

  it('seeds with or without enabling', () => {
    expect(parseCliArgs(['strategies', 'seed', '--enable'])).toEqual({ ok: true, value: { command: 'seed', enable: true, venue: undefined, json: false } });
  });

  it('refuses a missing id, a pair without =, and an unknown command', () => {
    expect(parseCliArgs(['strategies', 'enable'])).toEqual({ ok: false, error: 'strategies enable needs a strategy id' });
    expect(parseCliArgs(['strategies', 'set-params', 'x', 'fast'])).toEqual({ ok: false, error: '"fast" is not k=v' });
    expect(parseCliArgs(['strategies', 'delete', 'x'])).toEqual({ ok: false, error: 'unknown strategies command "delete"' });
  });
});
