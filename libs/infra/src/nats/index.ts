export * from './connection.js';
export * from './provisioning.js';
export * from './publisher.js';
export * from './consumer-runner.js';
export * from './query.js';
export * from './nats.module.js';
export * from './consumer-registry.js';
export * from './published-marks.js';
