import { describe, expect, it } from '@jest/globals';
import { BridgeGate } from './bridge-gate.js';

/** A clock that moves a millisecond on every reading, as a busy machine's does. */
const tickingClock = () => {
  let now = Date.now();
  return { now: () => new Date(now++) };
};

describe('BridgeGate', () => {
  it('lets a command through at once, as not having waited, when the gate is open', async () => {
    const gate = new BridgeGate({ clock: tickingClock(), pollMs: 5 });
    gate.set('READY');
    expect(await gate.waitUntilReady(new Date(Date.now() + 1000), new AbortController().signal)).toEqual({ kind: 'ready', waitedMs: 0 });
  });

  it('holds a command until reconciliation opens the gate, and says it waited', async () => {
    const gate = new BridgeGate({ clock: { now: () => new Date() }, pollMs: 5 });
    gate.set('RECONCILING');
    setTimeout(() => gate.set('READY'), 30);
    const outcome = await gate.waitUntilReady(new Date(Date.now() + 5000), new AbortController().signal);
    expect(outcome.kind).toBe('ready');
    expect(outcome.kind === 'ready' && outcome.waitedMs).toBeGreaterThan(0);
  });

  it('reports the deadline and the state it was stuck in', async () => {
    const gate = new BridgeGate({ clock: { now: () => new Date() }, pollMs: 5 });
    gate.set('DISCONNECTED');
    expect(await gate.waitUntilReady(new Date(Date.now() + 30), new AbortController().signal)).toMatchObject({ kind: 'deadline', state: 'DISCONNECTED' });
  });

  it('stays closed while the circuit breaker refuses calls, even when reconciled', async () => {
    const gate = new BridgeGate({ clock: { now: () => new Date() }, pollMs: 5, available: () => false });
    gate.set('READY');
    expect(gate.isReady()).toBe(false);
    expect(await gate.waitUntilReady(new Date(Date.now() + 20), new AbortController().signal)).toMatchObject({ kind: 'deadline', state: 'READY' });
  });

  it('keeps a waiting message alive and returns stopped when the service stops', async () => {
    const gate = new BridgeGate({ clock: { now: () => new Date() }, pollMs: 5, keepAliveMs: 10 });
    const stop = new AbortController();
    let keptAlive = 0;
    setTimeout(() => stop.abort(), 60);
    expect(await gate.waitUntilReady(new Date(Date.now() + 5000), stop.signal, () => keptAlive++)).toEqual({ kind: 'stopped' });
    expect(keptAlive).toBeGreaterThan(0);
  });
});
