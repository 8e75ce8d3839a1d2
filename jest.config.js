// Jest 30 in native ESM mode (run through `node --experimental-vm-modules`), transformed by SWC
// with the same options as the build. Unit tests: *.spec.ts. Integration tests against real
// NATS, Postgres and Redis: *.int-spec.ts (see jest.integration.config.js).
import { swcOptions } from './tools/swc-options.mjs';

// Jest runs ESM through its own loader: SWC must emit ES modules without rewriting specifiers.
const swc = { ...swcOptions() };
delete swc.module;

export const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, module: { type: 'es6' }, swcrc: false }] },
  moduleNameMapper: {
    '^@mt5/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@mt5/domain/(.*)$': '<rootDir>/libs/domain/src/$1/index.ts',
    '^@mt5/infra/(.*)$': '<rootDir>/libs/infra/src/$1/index.ts',
    '^@mt5/testing$': '<rootDir>/libs/testing/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/tmp/'],
};

export default {
  ...shared,
  displayName: 'unit',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
};
