export * from './exposure.js';
export * from './instrument-math.types.js';
export * from './margin.js';
export * from './pips.js';
export * from './position-book.js';
export * from './position.types.js';
export * from './profit.js';
export * from './volume-math.js';
