import { describe, expect, it } from '@jest/globals';
import { testEnv } from './test-env.js';

describe('testEnv', () => {
  it('reads the four server addresses', () => {
    const env = testEnv({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_MONITOR_URL: 'http://127.0.0.1:8222',
      DATABASE_URL: 'postgresql://mt5:mt5@127.0.0.1:5432/mt5',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(env).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
      natsMonitorUrl: 'http://127.0.0.1:8222',
      databaseUrl: 'postgresql://mt5:mt5@127.0.0.1:5432/mt5',
      redisUrl: 'redis://127.0.0.1:6379',
    });
  });

  it('names every missing variable and how to get them', () => {
    expect(() => testEnv({ NATS_URL: 'nats://127.0.0.1:4222', REDIS_URL: '' })).toThrow(
      /NATS_MONITOR_URL, DATABASE_URL, REDIS_URL not set.*tools\/stack\.sh up infra/,
    );
  });
});
