export * from './account.schemas.js';
export * from './frame.js';
export * from './market.schemas.js';
export * from './mt5-enums.js';
export * from './session.schemas.js';
export * from './trade.schemas.js';
export * from './values.schemas.js';
