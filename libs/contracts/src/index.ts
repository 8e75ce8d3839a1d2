export * from './envelope.js';
export * from './names.js';
