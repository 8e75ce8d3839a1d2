// The MT5 bridge transport (protocol v1, libs/contracts/src/bridge): newline-delimited JSON over
// TCP or TLS. BridgeServer is the gateway side, BridgeClient the terminal side (mt5-simulator);
// the EA speaks the same protocol from MQL5. See docs/bridge-protocol.md.
export * from './bridge-client.js';
export * from './bridge-connection.js';
export * from './bridge-errors.js';
export * from './bridge-server.js';
export * from './bridge-session.js';
export * from './hello-auth.js';
export * from './line-reader.js';
