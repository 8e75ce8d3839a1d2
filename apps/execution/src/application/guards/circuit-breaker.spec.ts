import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';

function breaker() {
  let now = 0;
  const changes: CircuitState[] = [];
  const subject = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now, onChange: (state) => changes.push(state) });
  return { subject, changes, advance: (ms: number) => { now += ms; } };
}

describe('CircuitBreaker', () => {
  it('stays closed while failures are not consecutive', () => {
    const { subject } = breaker();
    subject.recordFailure();
    subject.recordFailure();
    subject.recordSuccess();
    subject.recordFailure();
    subject.recordFailure();
    expect(subject.state).toBe('CLOSED');
    expect(subject.tryAcquire()).toBe(true);
  });

  it('opens after the threshold of consecutive failures and refuses calls during the cool-down', () => {
    const { subject, advance } = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    expect(subject.state).toBe('OPEN');
    advance(999);
    expect(subject.tryAcquire()).toBe(false);
    expect(subject.isAvailable()).toBe(false);
  });

  it('lets exactly one probe through after the cool-down and closes when it succeeds', () => {
    const { subject, advance, changes } = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    advance(1000);
    expect(subject.isAvailable()).toBe(true);
    expect(subject.tryAcquire()).toBe(true);
    expect(subject.state).toBe('HALF_OPEN');
    expect(subject.tryAcquire()).toBe(false);
    subject.recordSuccess();
    expect(subject.state).toBe('CLOSED');
    expect(changes).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    const { subject, advance } = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    advance(1000);
    subject.tryAcquire();
    subject.recordFailure();
    expect(subject.state).toBe('OPEN');
    advance(500);
    expect(subject.tryAcquire()).toBe(false);
    advance(500);
    expect(subject.tryAcquire()).toBe(true);
  });

  it('frees the probe slot when the probe was never sent', () => {
    const { subject, advance } = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    advance(1000);
    subject.tryAcquire();
    subject.recordNeutral();
    expect(subject.tryAcquire()).toBe(true);
  });

  it('closes on reset, when a new session proves the link is back', () => {
    const { subject } = breaker();
    for (let i = 0; i < 3; i++) subject.recordFailure();
    subject.reset();
    expect(subject.state).toBe('CLOSED');
    expect(subject.tryAcquire()).toBe(true);
  });
});
