/**
 * Where code reads the current time, so a test can own it. Production code gets a system clock
 * (`{ now: () => new Date() }`); tests get a {@link FakeClock}.
 *
 * Defined here because libs/testing owns the fake; the production-side port belongs in
 * libs/contracts (or libs/domain) and, once it exists there, this one should re-export it.
 */
export interface Clock {
  now(): Date;
}
