import { describe, expect, it } from '@jest/globals';
import { loadServiceConfig } from '../../config.js';
import type { UpstreamClient, UpstreamRequest } from '../upstream/upstream.client.js';
import { OpenPositionsQuery } from './open-positions.query.js';

function setup() {
  let now = 1_000;
  const asked: UpstreamRequest[] = [];
  const answers: ((positions: unknown[]) => void)[] = [];
  const upstream = {
    request: (request: UpstreamRequest) => {
      asked.push(request);
      return new Promise((resolve) => answers.push(resolve));
    },
  } as unknown as UpstreamClient;
  const config = loadServiceConfig({ OPS_POSITIONS_CACHE_MS: '500' });
  const query = new OpenPositionsQuery(upstream, { config, now: () => now });
  return { query, asked, answers, tick: (ms: number) => { now += ms; } };
}

describe('OpenPositionsQuery', () => {
  it('asks execution once for concurrent readers, names the account, and serves repeats from memory for the cache time', async () => {
    const { query, asked, answers, tick } = setup();
    const first = query.get();
    const second = query.get();
    expect(asked).toEqual([{ service: 'execution', subject: 'exec.qry.positions', body: { account: 'paper-1' } }]);
    answers[0]!([{ positionId: '1', symbol: 'EURUSD' }]);
    expect((await first).positions).toHaveLength(1);
    expect(await second).toBe(await first);
    tick(499);
    await query.get();
    expect(asked).toHaveLength(1);
    tick(2);
    void query.get();
    expect(asked).toHaveLength(2);
  });

  it('keeps accounts apart', async () => {
    const { query, asked } = setup();
    void query.get('paper-1');
    void query.get('live-7');
    expect(asked.map((request) => request.body)).toEqual([{ account: 'paper-1' }, { account: 'live-7' }]);
  });

  it('does not keep an answer when a position event arrived while it was on its way', async () => {
    const { query, asked, answers } = setup();
    const pending = query.get();
    query.invalidate();
    answers[0]!([]);
    await pending;
    void query.get();
    expect(asked).toHaveLength(2);
  });
});
