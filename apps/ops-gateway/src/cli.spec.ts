import { describe, expect, it } from '@jest/globals';
import { parseKeysArgs } from './cli.js';

describe('keys CLI arguments', () => {
  it('reads create, revoke and list', () => {
    expect(parseKeysArgs(['keys', 'create', '--name', 'ops-anna', '--role', 'operator'])).toEqual({ ok: true, command: { kind: 'create', name: 'ops-anna', role: 'operator', actor: undefined } });
    expect(parseKeysArgs(['keys', 'revoke', 'mt5_AbCdEfGh', '--reason', 'left the team'])).toEqual({ ok: true, command: { kind: 'revoke', prefix: 'mt5_AbCdEfGh', reason: 'left the team', actor: undefined } });
    expect(parseKeysArgs(['keys', 'list'])).toEqual({ ok: true, command: { kind: 'list' } });
  });

  it('lists every problem at once', () => {
    expect(parseKeysArgs(['keys', 'create', '--role', 'boss', '--colour', 'red'])).toEqual({
      ok: false, problems: ['unknown option --colour', '--name is required', '--role must be one of viewer, operator, admin'],
    });
    expect(parseKeysArgs(['keys', 'revoke'])).toEqual({ ok: false, problems: ['revoke takes exactly one key prefix (as `keys list` shows it)'] });
    expect(parseKeysArgs(['keys', 'rotate'])).toEqual({ ok: false, problems: ['unknown keys command "rotate" (create, revoke, list)'] });
    expect(parseKeysArgs(['users'])).toEqual({ ok: false, problems: ['unknown command "users"'] });
  });
});
