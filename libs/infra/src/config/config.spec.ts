import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { appConfigSchema, ConfigError, loadConfig } from './config.js';

const schema = appConfigSchema({ ACCOUNT_ID: z.string().regex(/^[a-z0-9-]+$/, 'letters, digits and - only').default('paper-1') }, 3104);

describe('loadConfig', () => {
  it('returns defaults that pass validation when nothing is set', () => {
    const config = loadConfig('execution', schema, {});
    expect(config.HTTP_PORT).toBe(3104);
    expect(config.HTTP_HOST).toBe('127.0.0.1');
    expect(config.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(config.ACCOUNT_ID).toBe('paper-1');
  });

  it('reports every violation at once, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig('execution', schema, { HTTP_PORT: '99999', NATS_URL: 'http://x', LOG_LEVEL: 'loud', ACCOUNT_ID: 'A B' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['ACCOUNT_ID', 'HTTP_PORT', 'LOG_LEVEL', 'NATS_URL']);
    expect((error as ConfigError).message).toContain('4 problems');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig('x', schema, { HTTP_PORT: '' }).HTTP_PORT).toBe(3104);
  });
});
